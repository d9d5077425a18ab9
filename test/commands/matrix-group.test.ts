import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

interface Pair {
  readonly from: string;
  readonly to: string;
  readonly allowed: unknown;
  readonly unknown?: unknown;
}

/** A pair of pods whose answer is not its groups': its own, or absent from the per-pair form. */
type Exception = Pair | { readonly from: string; readonly to: string; readonly absent: true };

interface Grouped {
  readonly pods: { readonly id: string }[];
  readonly sourceGroups: string[][];
  readonly destinationGroups: string[][];
  readonly pairs: (Omit<Pair, 'from' | 'to'> & { from: number; to: number })[];
  readonly exceptions: Exception[];
}

/**
 * The per-pair form a grouped matrix stands for: every member of one group with every member
 * of the other, then each exception in place of its pair (or taking it out).
 */
function expand(grouped: Grouped): Pair[] {
  const pairs = new Map<string, Pair>();
  for (const { from, to, ...ports } of grouped.pairs) {
    for (const source of grouped.sourceGroups[from] ?? []) {
      for (const destination of grouped.destinationGroups[to] ?? []) {
        if (source !== destination)
          pairs.set(`${source} ${destination}`, { from: source, to: destination, ...ports });
      }
    }
  }
  for (const exception of grouped.exceptions) {
    const key = `${exception.from} ${exception.to}`;
    if ('absent' in exception) pairs.delete(key);
    else pairs.set(key, exception);
  }
  return [...pairs.values()];
}

const byPods = (a: Pair, b: Pair) => `${a.from} ${a.to}`.localeCompare(`${b.from} ${b.to}`);

describe('kubectl netpol matrix -o json --group', () => {
  it.each([
    [['--demo']],
    [['--demo', '--port', '53', '--protocol', 'UDP']],
    [['-f', 'test/fixtures/manifests/shop']],
    [['-f', 'test/fixtures/manifests/shop', '-n', 'shop']],
    [['-f', 'test/fixtures/manifests/workload-ips', '--pod-cidr', '10.244.0.0/16']],
    [['-f', 'test/fixtures/manifests/cluster-network-policy']],
    [['-f', 'test/fixtures/manifests/node-local']],
    [['-f', 'test/fixtures/manifests/node-local-nodes']],
    [['-f', 'test/fixtures/manifests/node-local-nodes', '--protocol', 'UDP']],
    // Pairs answered per address family; pods whose IP is unknown under a deny (UNKNOWN pairs).
    [['-f', 'test/fixtures/manifests/dual-stack']],
    [['-f', 'test/fixtures/manifests/dual-stack', '--port', '443']],
    [['-f', 'test/fixtures/manifests/unknown-ip-deny']],
  ])(
    'with %j stands for exactly the pairs of the per-pair form, self pairs aside',
    async (input) => {
      const perPair = await runCli(['matrix', '-o', 'json', ...input]);
      const grouped = await runCli(['matrix', '-o', 'json', '--group', ...input]);
      expect(grouped.exitCode).toBe(0);
      const full = JSON.parse(perPair.stdout);
      const compact = JSON.parse(grouped.stdout);
      const notSelf = (full.pairs as Pair[]).filter((pair) => pair.from !== pair.to);
      expect(expand(compact).sort(byPods)).toEqual(notSelf.sort(byPods));
      // Each pod is in one source group and one destination group; the rest is as per pair.
      const ids = (full.pods as { id: string }[]).map((pod) => pod.id).sort();
      expect(compact.sourceGroups.flat().sort()).toEqual(ids);
      expect(compact.destinationGroups.flat().sort()).toEqual(ids);
      const { pairs: _, ...rest } = full;
      const { pairs: __, sourceGroups, destinationGroups, exceptions, ...compactRest } = compact;
      expect(compactRest).toEqual(rest);
    },
  );

  it('keeps pods on different nodes in one group, their node-local pairs listed apart', async () => {
    const grouped = await runCli(['matrix', '-o', 'json', '--group', '--demo']);
    const compact = JSON.parse(grouped.stdout) as Grouped;
    // The demo's calico-node pods (hostNetwork, one per node) are one group.
    const calicoNodes = compact.pods.filter((pod) => pod.id.startsWith('kube-system/calico-node-'));
    expect(calicoNodes.length).toBeGreaterThan(1);
    expect(compact.sourceGroups).toContainEqual(calicoNodes.map((pod) => pod.id));
    expect(compact.exceptions.length).toBeGreaterThan(0);
  });

  it('is smaller than the per-pair form when pods share their connections', async () => {
    const perPair = await runCli(['matrix', '-o', 'json', '--demo']);
    const grouped = await runCli(['matrix', '-o', 'json', '--group', '--demo']);
    expect(JSON.parse(grouped.stdout).pairs.length).toBeLessThan(
      JSON.parse(perPair.stdout).pairs.length,
    );
  });

  it('is only a JSON form', async () => {
    const run = await runCli(['matrix', '--group', '--demo']);
    expect(run.stderr).toBe(
      'error: --group: only with -o json (graphs take --group workload|namespace)\n',
    );
    expect(run.exitCode).toBe(2);
  });
});

/** `scaffold allow-dns` on input that does not tell the cluster DNS says what it assumed. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';

const NONE = 'test/fixtures/dns/none/cluster.yaml';
const ASSUMED =
  '# cluster DNS not found in the input: assumed the pods k8s-app=kube-dns in kube-system on UDP and TCP 53; check it\n';

describe('kubectl netpol scaffold allow-dns without the cluster DNS in the input', () => {
  it('starts the YAML with the assumption, as a comment kubectl skips', async () => {
    const run = await runCli(['scaffold', 'allow-dns', '-n', 'shop', '-f', NONE]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.startsWith(ASSUMED)).toBe(true);
    expect(parse(run.stdout).metadata.name).toBe('allow-dns-egress');
  });

  it('keeps -o json the object -o yaml prints, and warns of the assumption on stderr', async () => {
    const asked = ['scaffold', 'allow-dns', '-n', 'shop', '-f', NONE];
    const json = await runCli([...asked, '-o', 'json']);
    const yaml = await runCli(asked);
    // Nothing added that the cluster would store or kubectl's strict validation would refuse.
    expect(JSON.parse(json.stdout)).toEqual(parse(yaml.stdout));
    expect(json.stderr.split('\n')[0]).toBe(`warning: ${ASSUMED.slice('# '.length, -1)}`);
  });
});

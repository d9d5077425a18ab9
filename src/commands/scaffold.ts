import { dnsAssumption, scaffoldTemplate, templateArg, withClusterDns } from '../engine/index.js';
import { UserError } from '../errors.js';
import { type LiveInput, loadLive } from '../io/cluster/load-live.js';
import { loadDemo, loadManifests } from '../io/load-input.js';
import type { LoadedInput } from '../io/normalize/loaded-input.js';
import type { Terminal } from '../io/terminal.js';
import { findingLine } from '../render/findings.js';
import { argFlag, templateArgErrorText } from '../render/template-args.js';
import { scaffoldRequest } from '../syntax/scaffold-args.js';
import type { ScaffoldArgs } from './scaffold-options.js';
import { checkWriteFlags, writePolicies } from './scaffold-output.js';

async function snapshotFor(
  args: ScaffoldArgs,
  terminal: Terminal,
): Promise<LoadedInput | LiveInput | undefined> {
  if (args.demo) return loadDemo(args.demo);
  if (args.filename?.length) return loadManifests(args.filename, terminal.readStdin);
  try {
    return await loadLive(args, terminal.env, (text) => terminal.err(text));
  } catch (error) {
    if (args.apply || args.dryRun === 'server') throw error;
    terminal.err(`note: effect not computed (no cluster: ${(error as Error).message})\n`);
    return undefined;
  }
}

/** Runs a scaffold template: prints (and optionally saves or applies) validated policies. */
export async function runScaffold(args: ScaffoldArgs, terminal: Terminal): Promise<number> {
  checkWriteFlags(args);
  const snapshot = await snapshotFor(args, terminal);
  const live = snapshot && 'client' in snapshot ? snapshot : undefined;
  const namespace = args.namespace ?? live?.kubeconfig.namespace ?? 'default';
  const request = scaffoldRequest(args, namespace);
  if (!request.ok) throw new UserError(templateArgErrorText(request.error[0], argFlag));
  // The allow-dns rule admits the snapshot's DNS pods, on the ports they take lookups on.
  const asked = snapshot ? withClusterDns(request.value, snapshot.cluster) : request.value;
  const policies = scaffoldTemplate(asked);
  if (snapshot) for (const finding of snapshot.findings) terminal.err(`${findingLine(finding)}\n`);
  const allowDnsFlag = templateArg(args.template, 'allowDns') !== undefined;
  const assumption = dnsAssumption(asked);
  const target = {
    cluster: snapshot?.cluster,
    live,
    allowDnsFlag,
    ...(assumption ? { dnsAssumptions: [assumption] } : {}),
  };
  await writePolicies(args, policies, target, terminal);
  return 0;
}

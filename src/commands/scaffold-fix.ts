import {
  checkFixes,
  checkOutcome,
  checkTargets,
  clusterPolicyDenial,
  dnsAssumption,
  isHostname,
  recheckWith,
  scaffoldPolicies,
} from '../engine/index.js';
import { UserError } from '../errors.js';
import type { Terminal } from '../io/terminal.js';
import { answerScope } from '../render/answer-scope.js';
import { checkAnswerLines } from '../render/check-notes.js';
import { recheckLines } from '../render/recheck.js';
import { checkProblemText } from '../render/target-problem.js';
import { terminalText } from '../render/terminal-text.js';
import type { ScaffoldFixArgs } from './scaffold-options.js';
import { checkWriteFlags, writePolicies } from './scaffold-output.js';
import { openSession, withNamedWorkloadsRunning } from './session.js';

/**
 * Runs `scaffold fix`: checks the flow as `check` does and writes the policies that allow every
 * denied side of it (the source's egress and the destination's ingress) in one go.
 */
export async function runScaffoldFix(args: ScaffoldFixArgs, terminal: Terminal): Promise<number> {
  checkWriteFlags(args);
  const opened = await openSession(args, terminal);
  const targets = [args.source, args.destination];
  const { input, analysis, namespace, live } = withNamedWorkloadsRunning(opened, args, targets);
  const question = { ...args, namespace };
  const checked = checkTargets(analysis, question);
  if (!checked.ok) throw new UserError(checkProblemText(checked.error, '--port'));
  const { flows, notes } = checked.value;
  const port = String(checked.value.port);
  const asked = `${args.source} -> ${args.destination} port ${port}`;
  const { requests, unfixable } = checkFixes(analysis, flows);
  const [stuck] = unfixable;
  if (stuck) {
    const flow = terminalText(`${stuck.from} -> ${stuck.to}`);
    const denial = clusterPolicyDenial(stuck);
    const policy = denial && terminalText(denial.policy);
    const why = isHostname(stuck.to)
      ? `NetworkPolicies match addresses, not host names: allow the addresses ${terminalText(stuck.to)} resolves to, or accept it in a ClusterNetworkPolicy domainNames rule`
      : 'a host-network peer without an address';
    throw new UserError(
      denial?.tier === 'Admin'
        ? `no NetworkPolicy can allow ${flow}: ${policy} denies it in the Admin tier, before NetworkPolicies (see check)`
        : `no scaffold can allow ${flow}: ${why} (see check)`,
    );
  }
  // What check says besides its verdicts, on stderr as a comment as the preview is (the
  // policies on stdout stay valid YAML); a flow no scaffold can allow has said why already.
  const scope = answerScope(
    input.cluster,
    analysis.cni,
    args.assumeEnforced === true,
    checkOutcome(flows),
  );
  for (const line of checkAnswerLines(scope, notes)) if (line) terminal.err(`# ${line}\n`);
  if (requests.length === 0) {
    throw new UserError(
      `nothing to fix: ${terminalText(asked)} is ${checkOutcome(flows)} (see check)`,
    );
  }
  const policies = requests.flatMap(scaffoldPolicies);
  const recheck = recheckWith(analysis, question, policies, {
    ...(args.ignoreUnmodelled ? { ignoreUnmodelled: true } : {}),
  });
  const protocol = flows[0]?.verdict?.protocol ?? args.protocol ?? 'TCP';
  const previewLines = recheckLines(recheck, { ...args, port, protocol }, policies.length, {
    portName: '--port',
  });
  const dnsAssumptions = requests.flatMap((request) => dnsAssumption(request) ?? []);
  const target = { cluster: input.cluster, cni: analysis.cni, live, previewLines, dnsAssumptions };
  await writePolicies(args, policies, target, terminal);
  return 0;
}

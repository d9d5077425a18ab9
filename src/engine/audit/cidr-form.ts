import type { Analysis, Direction } from '../compile/compile.js';
import { canonicalCidr, hostCidr, nonCanonicalCidrErrors } from '../primitives/ip-block.js';
import type { AuditFinding, FixAction } from './types.js';
import { peerField, policyObject } from './walk.js';

/** Every CIDR a policy's ipBlocks name, with its field path and whether it is an except. */
function cidrsOf(policy: Analysis['policies'][number]) {
  return (['ingress', 'egress'] as const).flatMap((direction: Direction) =>
    policy.policy[direction].flatMap((rule, ruleIndex) =>
      rule.peers.flatMap((peer, peerIndex) => {
        if (!peer.ipBlock) return [];
        const at = peerField({ policy: policy.ref, direction, ruleIndex, peerIndex }, 'ipBlock');
        return [
          { field: `${at}.cidr`, cidr: peer.ipBlock.cidr, except: false },
          ...peer.ipBlock.except.map((cidr, i) => ({
            field: `${at}.except[${i}]`,
            cidr,
            except: true,
          })),
        ];
      }),
    ),
  );
}

/**
 * ipBlock CIDRs not written canonically: host bits set (`10.0.0.5/24`) or leading zeros. The
 * API server refuses them in new objects since Kubernetes 1.36 (strict CIDR validation) but
 * keeps those stored before; plugins match the network part (10.0.0.0/24), as this analysis
 * does, which may not be what was meant. A warning: the fix writes the network, or the single
 * address when a host bit was set on a block's cidr (perhaps only that address was meant).
 */
export function cidrFormFindings(analysis: Analysis): AuditFinding[] {
  return analysis.policies.flatMap((policy) =>
    cidrsOf(policy).flatMap(({ field, cidr, except }): AuditFinding[] => {
      const [problem] = nonCanonicalCidrErrors(cidr);
      const network = canonicalCidr(cidr);
      if (!problem || !network) return [];
      const hostBits = problem.includes('bits');
      const host = hostBits && !except ? hostCidr(cidr) : undefined;
      const set = (value: string, keeps: 'network' | 'address'): FixAction => ({
        kind: 'set-cidr',
        policy: policy.ref,
        field,
        cidr: value,
        keeps,
      });
      return [
        {
          code: 'non-canonical-cidr',
          severity: 'warning',
          namespace: policy.ref.namespace,
          policy: policy.ref,
          field,
          cidr,
          network,
          problem: hostBits ? 'host-bits' : 'leading-zeros',
          objects: [policyObject(policy.ref)],
          fixes: [set(network, 'network'), ...(host ? [set(host, 'address')] : [])],
        },
      ];
    }),
  );
}

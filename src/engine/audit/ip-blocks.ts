import { type Analysis, policiesSelecting } from '../compile/compile.js';
import { masksOutsideClients } from '../compile/service-forwarding.js';
import { type ServiceRoutingMemo, selectedPods, servicesInIpBlock } from '../compile/services.js';
import { objectId } from '../model/types.js';
import { admitsWholeFamily } from '../primitives/ip-block.js';
import { PodLookup } from './pod-lookup.js';
import type { AuditFinding, ObjectRef } from './types.js';
import { effectivePeers, podObject, policyObject } from './walk.js';

/**
 * ipBlocks that contain pod addresses. Whether an ipBlock matches traffic of pods is left to
 * the network plugin (Cilium, for one, ignores pod addresses in CIDR rules and ipBlocks), and pod
 * addresses change as pods come and go: a warning, with selectors as the fix. Host-network pods
 * are left out (their address is the node's, which is what an ipBlock is for), and blocks
 * covering a whole address family are left to the allow-everything finding.
 */
export function ipBlockFindings(
  analysis: Analysis,
  lookup = new PodLookup(analysis),
): AuditFinding[] {
  // Policies from templates repeat their blocks, and blocks overlap: each list of pods is
  // described once, each pod by one object.
  const described = new Map<readonly number[], { ids: string[]; objects: ObjectRef[] }>();
  const objectOf: ObjectRef[] = [];
  const describe = (podIdxs: readonly number[]) => {
    let found = described.get(podIdxs);
    if (!found) {
      found = { ids: [], objects: [] };
      for (const idx of podIdxs) {
        const pod = analysis.pods[idx];
        if (!pod || pod.hostNetwork) continue;
        found.ids.push(pod.id);
        objectOf[idx] ??= podObject(pod);
        found.objects.push(objectOf[idx]);
      }
      described.set(podIdxs, found);
    }
    return found;
  };
  return effectivePeers(analysis).flatMap((located): AuditFinding[] => {
    const { peer } = located;
    if (peer.kind !== 'ip-block') return [];
    const { block, range } = peer.ipBlock;
    if (range.prefixLength === 0 && block.except.length === 0) return [];
    const namespace = located.policy.ref.namespace;
    // The pods whose addresses the block holds, also where the plugin (Cilium) ignores them.
    const pods = describe(
      lookup.blockPods({ kind: peer.kind, index: peer.index, ipBlock: peer.ipBlock }),
    );
    if (pods.ids.length === 0) return [];
    return [
      {
        code: 'ip-block-contains-pods',
        severity: 'warning',
        namespace,
        peer: located.peerRef,
        cidr: block.cidr,
        except: block.except,
        pods: pods.ids,
        objects: [policyObject(located.policy.ref), ...pods.objects],
        fixes: [],
      },
    ];
  });
}

/**
 * ipBlocks that admit a Service ClusterIP. Whether policies see the ClusterIP or the backend
 * after the Service translation is up to the network plugin, and most see the backend: the
 * rule then admits nothing of what it names.
 */
export function serviceIpBlockFindings(analysis: Analysis): AuditFinding[] {
  const memo: ServiceRoutingMemo = new Map();
  return effectivePeers(analysis).flatMap((located): AuditFinding[] => {
    const { peer } = located;
    if (peer.kind !== 'ip-block') return [];
    const named = servicesInIpBlock(analysis, peer.ipBlock, undefined, memo);
    if (named.length === 0) return [];
    const { block } = peer.ipBlock;
    return [
      {
        code: 'ip-block-contains-service-ip',
        severity: 'warning',
        namespace: located.policy.ref.namespace,
        peer: located.peerRef,
        cidr: block.cidr,
        except: block.except,
        services: named,
        objects: [
          policyObject(located.policy.ref),
          ...named.map(({ service }) => {
            const [namespace = '', name = ''] = service.split('/');
            return { kind: 'Service', namespace, name };
          }),
        ],
        fixes: [],
      },
    ];
  });
}

/**
 * Ingress ipBlocks that name clients outside the cluster while the pods they protect are behind
 * a Service that may show those pods the clients' connections from a node's address (a node
 * port or load balancer without externalTrafficPolicy Local): the block may admit no such
 * client, or, holding the nodes' addresses, every one.
 */
export function maskedClientFindings(analysis: Analysis): AuditFinding[] {
  const masking = [...analysis.services.values()].filter((service) =>
    masksOutsideClients(analysis, service),
  );
  if (masking.length === 0) return [];
  return effectivePeers(analysis).flatMap((located): AuditFinding[] => {
    const { peer, peerRef, policy } = located;
    if (peer.kind !== 'ip-block' || peerRef.direction !== 'ingress') return [];
    if (admitsWholeFamily(peer.ipBlock)) return [];
    const { namespace } = policy.ref;
    return masking.flatMap((service): AuditFinding[] => {
      if (service.namespace !== namespace) return [];
      // The Service's backends this policy isolates for ingress.
      const backends = selectedPods(analysis, service).flatMap((idx) => {
        const pod = analysis.pods[idx];
        return pod && policiesSelecting(analysis, idx, 'ingress').includes(policy) ? [pod] : [];
      });
      if (backends.length === 0) return [];
      const { block } = peer.ipBlock;
      return [
        {
          code: 'ip-block-clients-masqueraded',
          severity: 'warning',
          namespace,
          peer: peerRef,
          cidr: block.cidr,
          except: block.except,
          service: objectId(service.namespace, service.name),
          serviceType: service.type ?? 'ClusterIP',
          pods: backends.map((pod) => pod.id),
          objects: [
            policyObject(policy.ref),
            { kind: 'Service', namespace, name: service.name },
            ...backends.map(podObject),
          ],
          fixes: [],
        },
      ];
    });
  });
}

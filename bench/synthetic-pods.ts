import type { PodObject } from './kube-objects.js';
import type { Random } from './prng.js';
import { podName, type Topology, type Workload } from './synthetic-topology.js';

/** The kubelet's default limit of pods per node. */
const MAX_PODS_PER_NODE = 110;

/** A node: its address and the /24 its pods take addresses from. */
export interface NodePlan {
  readonly name: string;
  readonly ip: string;
  /** The node's number in the pod range: its /24 is podSubnetPrefix(podSubnet).0/24. */
  readonly podSubnet: number;
}

/** The pod CIDR of the cluster; each node owns one /24 of it. */
export const POD_CIDR = '10.244.0.0/14';

/** The first three octets of the /24 of POD_CIDR numbered `subnet`, as `10.244.3`. */
export function podSubnetPrefix(subnet: number): string {
  return `10.${244 + Math.floor(subnet / 256)}.${subnet % 256}`;
}

/** Nodes enough to host `pods` pods at a realistic density (about 90 per node). */
export function planNodes(pods: number): NodePlan[] {
  const count = Math.max(3, Math.ceil(pods / 90));
  if (count > 1024) throw new Error(`too many nodes for ${POD_CIDR}: ${count}`);
  return Array.from({ length: count }, (_, i) => ({
    name: `node-${String(i).padStart(3, '0')}`,
    ip: `10.0.${1 + Math.floor(i / 200)}.${10 + (i % 200)}`,
    podSubnet: i,
  }));
}

function podObject(workload: Workload, name: string, node: NodePlan, ip: string): PodObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: workload.namespace.name, labels: workload.labels },
    spec: {
      nodeName: node.name,
      ...(workload.daemonSet ? { hostNetwork: true as const } : {}),
      containers: workload.containers,
    },
    status: { phase: 'Running', hostIP: node.ip, podIP: ip, podIPs: [{ ip }] },
  };
}

/**
 * Places every workload's pods on nodes: replicas on random nodes with room, each taking the
 * next free address of its node's /24; DaemonSet pods one per node on the node's address.
 */
export function placePods(random: Random, topology: Topology, nodes: readonly NodePlan[]) {
  const used = nodes.map(() => 0);
  const names = new Set<string>();
  const uniqueName = (workload: Workload) => {
    let name = podName(random, workload);
    while (names.has(`${workload.namespace.name}/${name}`)) name = podName(random, workload);
    names.add(`${workload.namespace.name}/${name}`);
    return name;
  };
  const pods: PodObject[] = [];
  for (const workload of topology.workloads) {
    if (workload.daemonSet) {
      for (const node of nodes) pods.push(podObject(workload, uniqueName(workload), node, node.ip));
      continue;
    }
    for (let i = 0; i < workload.replicas; i++) {
      let n = random.int(0, nodes.length - 1);
      while ((used[n] as number) >= MAX_PODS_PER_NODE) n = random.int(0, nodes.length - 1);
      used[n] = (used[n] as number) + 1;
      const node = nodes[n] as NodePlan;
      // Hosts .2 onwards: .0 is the network and .1 the node's bridge.
      const ip = `${podSubnetPrefix(node.podSubnet)}.${1 + (used[n] as number)}`;
      pods.push(podObject(workload, uniqueName(workload), node, ip));
    }
  }
  return pods;
}

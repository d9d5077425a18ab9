import type { ContainerPortSpec, ContainerSpec } from './kube-objects.js';
import type { Random } from './prng.js';

/** A named container port. */
export const port = (name: string, containerPort: number, protocol: 'TCP' | 'UDP' = 'TCP') => ({
  name,
  containerPort,
  protocol,
});

/** A kind of workload: its tier, the app names it goes by and the ports it serves. */
export interface Profile {
  readonly tier: string;
  readonly apps: readonly string[];
  readonly ports: (random: Random, app: string) => ContainerPortSpec[][];
  /** Whether pods of this profile may carry a service-mesh sidecar. */
  readonly mesh: boolean;
}

const DATA_PORTS: Readonly<Record<string, [ContainerPortSpec, number]>> = {
  postgres: [port('postgres', 5432), 9187],
  mysql: [port('mysql', 3306), 9104],
  mongodb: [port('mongodb', 27017), 9216],
  redis: [port('redis', 6379), 9121],
  memcached: [port('memcache', 11211), 9150],
  rabbitmq: [port('amqp', 5672), 15692],
  kafka: [port('kafka', 9092), 9308],
  nats: [port('client', 4222), 7777],
};

const stateful = (_: Random, app: string): ContainerPortSpec[][] => {
  const [main, metrics] = DATA_PORTS[app] as [ContainerPortSpec, number];
  return [[main], [port('metrics', metrics)]];
};

/** Workload archetypes with their relative frequency. */
export const PROFILES: readonly (readonly [number, Profile])[] = [
  [
    15,
    {
      tier: 'frontend',
      apps: ['web', 'frontend', 'storefront', 'portal', 'dashboard', 'admin-ui'],
      ports: (r) => [[port('http', r.pick([8080, 3000, 80])), port('metrics', 9090)]],
      mesh: true,
    },
  ],
  [
    35,
    {
      tier: 'backend',
      apps: [
        'api',
        'orders',
        'users',
        'accounts',
        'gateway',
        'notifications',
        'shipping',
        'reviews',
        'quotes',
        'sessions',
        'ledger',
        'profiles',
        'recommendations',
        'webhooks',
      ],
      ports: (r) => [
        [
          port('http', r.pick([8080, 8080, 8000])),
          ...(r.chance(0.5) ? [port('grpc', 9000)] : []),
          ...(r.chance(0.8) ? [port('metrics', 9090)] : []),
        ],
      ],
      mesh: true,
    },
  ],
  [
    20,
    {
      tier: 'worker',
      apps: ['worker', 'consumer', 'scheduler', 'indexer', 'mailer', 'exporter'],
      ports: (r) => [
        [
          ...(r.chance(0.7) ? [port('metrics', 9090)] : []),
          ...(r.chance(0.3) ? [port('statsd', 8125, 'UDP')] : []),
        ],
      ],
      mesh: false,
    },
  ],
  [10, { tier: 'data', apps: ['postgres', 'mysql', 'mongodb'], ports: stateful, mesh: false }],
  [10, { tier: 'cache', apps: ['redis', 'memcached'], ports: stateful, mesh: false }],
  [10, { tier: 'messaging', apps: ['rabbitmq', 'kafka', 'nats'], ports: stateful, mesh: false }],
];

/** A workload's containers: one per port list, plus a mesh sidecar when injected. */
export function containersOf(app: string, portLists: ContainerPortSpec[][], sidecar: boolean) {
  const containers: ContainerSpec[] = portLists.map((ports, i) => ({
    name: i === 0 ? app : `${app}-exporter`,
    image: `registry.example.com/${app}:1.${i}.0`,
    ports,
  }));
  if (sidecar) {
    containers.push({
      name: 'istio-proxy',
      image: 'docker.io/istio/proxyv2:1.22.0',
      ports: [port('http-envoy-prom', 15090)],
    });
  }
  return containers;
}

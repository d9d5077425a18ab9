/** DNS over UDP and TCP judged apart, and NodeLocal DNSCache as a DNS server. */
import ipaddr from 'ipaddr.js';
import { describe, expect, it, vi } from 'vitest';
import { detectNodeLocalDns } from '../../../src/engine/cni/node-local-dns.js';
import type { Workload } from '../../../src/engine/index.js';
import { fixActionData } from '../../../src/render/scaffold-command.js';
import { APP, COREDNS, DENY_EGRESS, dnsTo, NODE_LOCAL, toAddress } from './dns-scenario.js';
import { audit, diagnoseFirst } from './yaml.js';

describe('DNS over UDP and over TCP', () => {
  it('with UDP 53 only, warns that TCP DNS is blocked instead of saying names do not resolve', () => {
    const yaml = `${COREDNS}${APP}${DENY_EGRESS}${dnsTo('[{protocol: UDP, port: 53}]')}`;
    expect(audit(yaml, 'dns-blocked')).toEqual([]);
    expect(audit(yaml, 'dns-tcp-blocked')).toMatchObject([
      { severity: 'warning', pods: ['shop/app'], blockedBy: 'egress' },
    ]);
  });

  it('with TCP 53 only, names do not resolve (resolvers ask over UDP first)', () => {
    const yaml = `${COREDNS}${APP}${DENY_EGRESS}${dnsTo('[{protocol: TCP, port: 53}]')}`;
    expect(audit(yaml, 'dns-blocked')).toMatchObject([{ severity: 'error' }]);
    expect(audit(yaml, 'dns-tcp-blocked')).toEqual([]);
  });

  it('check on TCP 53 tells that UDP still gets through', () => {
    const yaml = `${COREDNS}${APP}${DENY_EGRESS}${dnsTo('[{protocol: UDP, port: 53}]')}`;
    const diagnosis = diagnoseFirst(yaml, 'shop/app', 'kube-system/coredns-1', 'TCP', 53);
    expect(diagnosis).toMatchObject({
      kind: 'dns-egress-blocked',
      dns: { server: 'cluster-dns', otherProtocol: 'UDP', otherAllowed: true },
    });
  });
});

describe('NodeLocal DNSCache', () => {
  it('is recognised by its DaemonSet, with the address of its -localip', () => {
    const workload = (image: string, args: string[] = []): Workload => ({
      kind: 'DaemonSet',
      namespace: 'kube-system',
      name: 'dns-cache',
      containers: [{ name: 'c', image, args, env: {} }],
    });
    expect(detectNodeLocalDns([workload('registry.k8s.io/dns/k8s-dns-node-cache:1.23.1')])).toEqual(
      {
        address: '169.254.20.10',
        workloads: [{ kind: 'DaemonSet', namespace: 'kube-system', name: 'dns-cache' }],
      },
    );
    expect(
      detectNodeLocalDns([workload('k8s-dns-node-cache:1.23.1', ['-localip=169.254.25.10'])])
        ?.address,
    ).toBe('169.254.25.10');
    expect(
      detectNodeLocalDns([workload('registry.k8s.io/coredns/coredns:v1.11.1')]),
    ).toBeUndefined();
  });

  it('is recognised by its upstream label, or by node-cache binding a link-local -localip', () => {
    const daemonSet = (name: string, image: string, args: string[] = []): Workload => ({
      kind: 'DaemonSet',
      namespace: 'kube-system',
      name,
      containers: [{ name: 'c', image, args, env: {} }],
    });
    const mirrored = daemonSet('dns-cache', 'mirror.example/node-cache:1.23.1');
    const labelled = { ...mirrored, labels: { 'k8s-app': 'node-local-dns' } };
    expect(detectNodeLocalDns([mirrored], [labelled])?.workloads).toEqual([
      { kind: 'DaemonSet', namespace: 'kube-system', name: 'dns-cache' },
    ]);
    const binding = daemonSet('dns-cache', 'mirror.example/node-cache:1.23.1', [
      '-localip',
      '169.254.20.10,10.96.0.10',
    ]);
    expect(detectNodeLocalDns([binding])?.address).toBe('169.254.20.10');
    // A -localip that is no link-local address is some other program's flag.
    const other = daemonSet('proxy', 'mirror.example/proxy:1', ['-localip', '10.0.0.1']);
    expect(detectNodeLocalDns([other], [{ ...other, labels: { app: 'proxy' } }])).toBeUndefined();
  });

  it('parses no address for containers without a -localip (most of a cluster)', () => {
    const parsed = [vi.spyOn(ipaddr, 'isValid'), vi.spyOn(ipaddr, 'parse')];
    const workloads = ['app', 'web', 'db'].map(
      (name): Workload => ({
        kind: 'Deployment',
        namespace: 'shop',
        name,
        containers: [{ name, image: `example/${name}:1`, args: ['--port', '8080'], env: {} }],
      }),
    );
    expect(detectNodeLocalDns(workloads)).toBeUndefined();
    for (const spy of parsed) expect(spy).not.toHaveBeenCalled();
    for (const spy of parsed) spy.mockRestore();
  });

  it('counts egress to its address as DNS egress', () => {
    const yaml = `${COREDNS}${NODE_LOCAL}${APP}${DENY_EGRESS}${toAddress('169.254.25.10/32')}`;
    expect(audit(yaml, 'dns-blocked')).toEqual([]);
    expect(audit(yaml, 'dns-tcp-blocked')).toEqual([]);
  });

  it('is not taken for a DNS server where the cluster does not run it', () => {
    const yaml = `${COREDNS}${APP}${DENY_EGRESS}${toAddress('169.254.25.10/32')}`;
    expect(audit(yaml, 'dns-blocked')).toMatchObject([{ blockedBy: 'egress' }]);
  });

  it('when blocked, names it and offers egress to its address first', () => {
    const [finding] = audit(`${COREDNS}${NODE_LOCAL}${APP}${DENY_EGRESS}`, 'dns-blocked');
    expect(finding).toMatchObject({ nodeLocal: '169.254.25.10' });
    expect(finding?.objects).toContainEqual({
      kind: 'DaemonSet',
      namespace: 'kube-system',
      name: 'node-local-dns',
    });
    expect(finding?.fixes.map(fixActionData)).toEqual([
      {
        kind: 'scaffold',
        fix: {
          namespace: 'shop',
          args: {
            template: 'allow',
            name: 'allow-node-local-dns',
            direction: 'egress',
            from: '',
            toCidr: '169.254.25.10/32',
            port: ['53/UDP', '53/TCP'],
          },
        },
      },
      { kind: 'scaffold', fix: { namespace: 'shop', args: { template: 'allow-dns' } } },
    ]);
  });
});

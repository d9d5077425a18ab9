import type { Pod } from '../model/types.js';
import { type IpAddress, parseIpAddress } from '../primitives/ip-block.js';

/**
 * The parsed addresses of each pod, parsed when first asked for: a question about two pods
 * reads two of them, the matrix all of them, each once.
 */
export class PodAddresses {
  private readonly parsed: (readonly IpAddress[] | undefined)[];

  constructor(private readonly pods: readonly Pod[]) {
    this.parsed = new Array(pods.length);
  }

  /** The addresses of the pod at `podIdx` (its IPs that are addresses); none for no pod. */
  of(podIdx: number): readonly IpAddress[] {
    const known = this.parsed[podIdx];
    if (known) return known;
    const pod = this.pods[podIdx];
    if (!pod) return [];
    const addresses = pod.ips.flatMap((ip) => {
      const address = parseIpAddress(ip);
      return address ? [address] : [];
    });
    this.parsed[podIdx] = addresses;
    return addresses;
  }

  /** Every pod's addresses, by pod index. */
  all(): (readonly IpAddress[])[] {
    return this.pods.map((_, podIdx) => this.of(podIdx));
  }
}

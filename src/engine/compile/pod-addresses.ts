import type { Pod } from '../model/types.js';
import { type IpAddress, parseIpAddress } from '../primitives/ip-block.js';

/** An IP address family: 4 or 6. */
export type AddressFamily = IpAddress['family'];

/** The lists familiesOf answers, shared: index bit 0 for IPv4, bit 1 for IPv6. */
const FAMILY_LISTS: readonly (readonly AddressFamily[])[] = [[], [4], [6], [4, 6]];

/** An address as a map key. */
function addressKey({ family, value }: IpAddress): string {
  return `${family}/${value}`;
}

/**
 * The parsed addresses of each pod, parsed when first asked for: a question about two pods
 * reads two of them, the matrix all of them, each once. With a `family`, the addresses a
 * connection over that family sees: a dual-stack pod's address of that family only (a pod with
 * none of that family keeps its own, as it takes part in no such connection).
 */
export class PodAddresses {
  private readonly parsed: (readonly IpAddress[] | undefined)[];
  private readonly families: (readonly AddressFamily[] | undefined)[];
  /** The first pod off the host network with each address, by `addressKey`; built when first asked. */
  private owners: Map<string, number> | undefined;

  constructor(
    private readonly pods: readonly Pod[],
    private readonly family?: AddressFamily,
    /** The pods' addresses of every family, parsed once for each view of one. */
    private readonly every?: PodAddresses,
  ) {
    this.parsed = new Array(pods.length);
    this.families = new Array(pods.length);
  }

  /** The addresses of the pod at `podIdx` (its IPs that are addresses); none for no pod. */
  of(podIdx: number): readonly IpAddress[] {
    const known = this.parsed[podIdx];
    if (known) return known;
    const pod = this.pods[podIdx];
    if (!pod) return [];
    const addresses =
      this.every?.of(podIdx) ??
      pod.ips.flatMap((ip) => {
        const address = parseIpAddress(ip);
        return address ? [address] : [];
      });
    const ofFamily = addresses.filter((address) => address.family === this.family);
    this.parsed[podIdx] = ofFamily.length > 0 ? ofFamily : addresses;
    return this.parsed[podIdx];
  }

  /** Every pod's addresses, by pod index. */
  all(): (readonly IpAddress[])[] {
    return this.pods.map((_, podIdx) => this.of(podIdx));
  }

  /** The families of a pod's addresses, IPv4 first; none when its IP is unknown. */
  familiesOf(podIdx: number): readonly AddressFamily[] {
    let known = this.families[podIdx];
    if (!known) {
      const addresses = this.of(podIdx);
      const bits =
        (addresses.some((address) => address.family === 4) ? 1 : 0) |
        (addresses.some((address) => address.family === 6) ? 2 : 0);
      known = FAMILY_LISTS[bits] as readonly AddressFamily[];
      this.families[podIdx] = known;
    }
    return known;
  }

  /**
   * The first pod off the host network that has `address`, by index; undefined when none has
   * it. Host-network pods share their node's address, so the address is not theirs.
   */
  podWith(address: IpAddress): number | undefined {
    this.owners ??= this.indexOwners();
    return this.owners.get(addressKey(address));
  }

  private indexOwners(): Map<string, number> {
    const owners = new Map<string, number>();
    this.pods.forEach((pod, podIdx) => {
      if (pod.hostNetwork) return;
      for (const address of this.of(podIdx)) {
        const key = addressKey(address);
        if (!owners.has(key)) owners.set(key, podIdx);
      }
    });
    return owners;
  }

  /** The same pods' addresses as a connection over one family sees them. */
  ofFamily(family: AddressFamily): PodAddresses {
    return new PodAddresses(this.pods, family, this.every ?? this);
  }
}

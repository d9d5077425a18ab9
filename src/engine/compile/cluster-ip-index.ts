import type { Service } from '../model/types.js';
import { AddressIndex } from '../primitives/address-index.js';
import { type CompiledIpBlock, type IpAddress, parseIpAddress } from '../primitives/ip-block.js';

/** A Service's ClusterIPs that are addresses (not "None" or empty), parsed. */
function clusterAddresses(service: Service): IpAddress[] {
  return service.clusterIPs.flatMap((ip) => parseIpAddress(ip) ?? []);
}

/**
 * Services by their ClusterIPs, indexed when first asked: an ipBlock finds the Services it holds
 * by binary search, not by parsing every Service's ClusterIPs (the audit asks for each ipBlock).
 */
export class ClusterIpIndex {
  private index: AddressIndex | undefined;

  constructor(private readonly services: readonly Service[]) {}

  /** The Services with a ClusterIP inside the block (and outside its excepts), in input order. */
  servicesInside(block: CompiledIpBlock): Service[] {
    this.index ??= new AddressIndex(this.services.map(clusterAddresses));
    return this.index.inside(block).map((item) => this.services[item] as Service);
  }
}

import { Address4, Address6 } from "ip-address";

/** An IPv4 or IPv6 address, optionally with a prefix length ("192.168.1.10/24", "2001:db8::10/64"). */
export type IpAddress = Address4 | Address6;

/** Parses an address; `requirePrefix` for interface addresses, which need their subnet. Throws a readable error. */
export function parseAddress(text: string, opts: { requirePrefix?: boolean; forbidPrefix?: boolean } = {}): IpAddress {
  const hasPrefix = text.includes("/");
  if (opts.requirePrefix && !hasPrefix) throw new Error(`"${text}" needs a prefix length, e.g. 192.168.1.10/24`);
  if (opts.forbidPrefix && hasPrefix) throw new Error(`"${text}" must be a plain address without a prefix length`);
  if (Address4.isValid(text)) return new Address4(text);
  if (Address6.isValid(text)) return new Address6(text);
  throw new Error(`"${text}" is not an IPv4 or IPv6 address`);
}

/** Parses a subnet in CIDR notation and checks that no host bits are set ("10.0.0.0/24", not "10.0.0.5/24"). */
export function parseSubnet(text: string): IpAddress {
  const subnet = parseAddress(text, { requirePrefix: true });
  if (subnet.startAddress().correctForm() !== subnet.correctForm()) {
    throw new Error(`"${text}" has host bits set; did you mean ${subnet.startAddress().correctForm()}/${subnet.subnetMask}?`);
  }
  return subnet;
}

export function isV4(address: IpAddress): address is Address4 {
  return address instanceof Address4;
}

/** Whether `address` (its host part) lies within `subnet`; false when the families differ. */
export function inSubnet(address: IpAddress, subnet: IpAddress): boolean {
  if (isV4(address) !== isV4(subnet)) return false;
  const host = isV4(address) ? new Address4(address.addressMinusSuffix) : new Address6(address.addressMinusSuffix!);
  return (host as Address4).isInSubnet(subnet as Address4);
}

/** The address `offset` places after `address`, keeping its prefix. */
export function addressPlus(address: IpAddress, offset: number): IpAddress {
  const value = address.bigInt() + BigInt(offset);
  const next = isV4(address) ? Address4.fromBigInt(value) : Address6.fromBigInt(value);
  return parseAddress(`${next.correctForm()}/${address.subnetMask}`);
}

/** Number of addresses from `start` to `end` inclusive (negative when end < start). */
export function rangeLength(start: IpAddress, end: IpAddress): number {
  return Number(end.bigInt() - start.bigInt()) + 1;
}

/** Canonical text of the host part, for duplicate checks ("2001:DB8::0:1" and "2001:db8::1" are one address). */
export function hostKey(address: IpAddress): string {
  return parseAddress(address.addressMinusSuffix ?? address.address).correctForm();
}

/**
 * Which address of its subnet `address` is that no interface may have: the network address (for IPv6 the
 * subnet-router anycast address) or the IPv4 broadcast address. None on /31 and /32 (RFC 3021) or /127, /128.
 */
export function reservedRole(address: IpAddress): "network address" | "broadcast address" | undefined {
  if (address.subnetMask >= (isV4(address) ? 31 : 127)) return undefined;
  const host = address.bigInt();
  if (host === address.startAddress().bigInt()) return "network address";
  if (isV4(address) && host === address.endAddress().bigInt()) return "broadcast address";
  return undefined;
}

/** A plain address (no prefix), or undefined when `text` is none: for checks whose field reports it itself. */
export function plainAddress(text: string): IpAddress | undefined {
  if (text.includes("/")) return undefined;
  return Address4.isValid(text) ? new Address4(text) : Address6.isValid(text) ? new Address6(text) : undefined;
}

/** Whether `address` and the plain address `text` are one host; false when `text` is no plain address. */
export function sameHost(address: IpAddress, text: string): boolean {
  const other = plainAddress(text);
  return other !== undefined && hostKey(address) === hostKey(other);
}

import { Construct } from "constructs";
import { BridgeNetwork } from "./bridge-network";
import { Problems } from "./errors";
import { hostUseProblem } from "./host-use";
import { addressPlus, hostKey, inSubnet, IpAddress, isV4, parseAddress, plainAddress, rangeLength, reservedRole } from "./ip";
import { LibvirtHost } from "./libvirt-host";
import { hostLabelProblem, macPlus, macProblem } from "./names";
import { RemovalPolicy } from "./removal-policy";
import { Size } from "./size";
import { VirtualMachine, VirtualMachineProps } from "./virtual-machine";
import { Volume } from "./volume";

export interface GroupInterfaceOptions {
  readonly network: BridgeNetwork;
  /**
   * Give instance n (from 0) the static address `start + n`. `start` carries the prefix length
   * ("192.168.1.100/24"); `end` bounds the range and must hold every instance.
   * @default - DHCP
   */
  readonly addressRange?: { readonly start: string; readonly end?: string };
  /**
   * The MAC of instance 0's interface; instance n gets `macBase + n` ("52:54:00:10:00:00" gives
   * 52:54:00:10:00:00, 52:54:00:10:00:01, ...), for DHCP reservations made in advance.
   * @default - derived per VM from the host id, VM name and NIC index, as for a VirtualMachine
   */
  readonly macBase?: string;
  /** @default - the network's gateway4 */
  readonly gateway4?: string;
  /** @default - the network's gateway6 */
  readonly gateway6?: string;
}

export interface GroupDataDisk {
  /** Construct id of the disk within each VM; the volume is named `<vm>-<id>.qcow2`. */
  readonly id: string;
  readonly size: Size;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

export interface VirtualMachineGroupProps
  // importUuid names one domain: a group adopts none
  extends Omit<VirtualMachineProps, "name" | "hostname" | "interfaces" | "dataDisks" | "systemDisk" | "importUuid"> {
  /** How many identical VMs. */
  readonly count: number;
  /** VMs are named `<prefix>-1` ... `<prefix>-<count>`. */
  readonly hostnamePrefix: string;
  /** @default - none */
  readonly interfaces?: GroupInterfaceOptions[];
  /** Blank data disks each VM gets its own copy of. @default - none */
  readonly dataDisks?: GroupDataDisk[];
}

interface Range {
  readonly first: IpAddress;
  readonly last: IpAddress;
}

/** N identical VMs named from a prefix, with per-instance static addresses allocated from a range. */
export class VirtualMachineGroup extends Construct {
  public readonly vms: readonly VirtualMachine[];

  constructor(scope: Construct, id: string, props: VirtualMachineGroupProps) {
    super(scope, id);
    const problems = new Problems();
    const { count, hostnamePrefix, interfaces = [], dataDisks = [], ...template } = props;
    const countOk = Number.isInteger(count) && count >= 1 && count <= 1000;
    if (!countOk) problems.add("count", `must be a whole number from 1 to 1000 (got ${count})`);
    const prefixProblem = hostLabelProblem(`${hostnamePrefix}-${countOk ? count : 1}`);
    if (prefixProblem) problems.add("hostnamePrefix", prefixProblem);

    // a missing network would fail the range's checks below with a TypeError
    interfaces.forEach((nic, i) => {
      const foreign = hostUseProblem(this, nic.network, BridgeNetwork, "networks");
      if (foreign) problems.add(`interfaces[${i}].network`, foreign);
      const macIssue = nic.macBase !== undefined && macProblem(nic.macBase.toLowerCase());
      if (macIssue) problems.add(`interfaces[${i}].macBase`, macIssue);
      else if (nic.macBase !== undefined && countOk && macPlus(nic.macBase.toLowerCase(), count - 1).slice(0, 2) !== nic.macBase.toLowerCase().slice(0, 2)) {
        problems.add(`interfaces[${i}].macBase`, `${count} MACs from ${nic.macBase} run past the end of its first octet`);
      }
    });
    problems.throwIfAny(this);
    // a range is measured in VMs: without a valid count there is nothing to measure
    const ranges = interfaces.map((nic, i) => (countOk && nic.addressRange ? parseRange(problems, `interfaces[${i}].addressRange`, nic, count) : undefined));
    const host = LibvirtHost.of(this);
    ranges.forEach((range, i) => {
      if (!range) return;
      for (const other of groupRanges(host)) {
        if (overlaps(range, other.range)) {
          problems.add(`interfaces[${i}].addressRange`, `${describe(range)} overlaps ${describe(other.range)} of ${other.group.node.path}`);
        }
      }
    });
    problems.throwIfAny(this);
    ranges.forEach((range) => range && groupRanges(host).push({ group: this, range }));

    this.vms = Array.from({ length: count }, (_, n) => {
      const name = `${hostnamePrefix}-${n + 1}`;
      const vm = new VirtualMachine(this, name, {
        ...template,
        // the prefix names the group's VMs, not the group's construct path
        name,
        interfaces: interfaces.map((nic, i) => ({
          network: nic.network,
          mac: nic.macBase && macPlus(nic.macBase.toLowerCase(), n),
          gateway4: nic.gateway4,
          gateway6: nic.gateway6,
          addresses: ranges[i] ? [addressPlus(ranges[i]!.first, n).address] : undefined,
        })),
      });
      for (const disk of dataDisks) {
        vm.addDisk(
          Volume.blank(vm, disk.id, {
            size: disk.size,
            pool: template.pool ?? vm.systemDisk.pool,
            name: `${name}-${disk.id}.qcow2`,
            removalPolicy: disk.removalPolicy,
          }),
        );
      }
      return vm;
    });
  }
}

const RANGES = new WeakMap<LibvirtHost, { group: VirtualMachineGroup; range: Range }[]>();

function groupRanges(host: LibvirtHost): { group: VirtualMachineGroup; range: Range }[] {
  if (!RANGES.has(host)) RANGES.set(host, []);
  return RANGES.get(host)!;
}

function parseRange(problems: Problems, field: string, nic: GroupInterfaceOptions, count: number): Range | undefined {
  const start = problems.attempt(`${field}.start`, () => parseAddress(nic.addressRange!.start, { requirePrefix: true }));
  if (!start) return undefined;
  // checked before the last address is made: past the subnet's end it may be past the address space's
  if (start.bigInt() + BigInt(count - 1) > start.endAddress().bigInt()) {
    problems.add(field, `${count} addresses from ${nic.addressRange!.start} run past the end of its subnet`);
    return undefined;
  }
  const last = addressPlus(start, count - 1);
  if (nic.addressRange!.end !== undefined) {
    const end = problems.attempt(`${field}.end`, () => parseAddress(nic.addressRange!.end!, { forbidPrefix: true }));
    if (!end) return undefined;
    if (isV4(end) !== isV4(start)) {
      problems.add(`${field}.end`, `${nic.addressRange!.end} is not in the same address family as ${nic.addressRange!.start}`);
      return undefined;
    }
    const size = rangeLength(start, end);
    if (size < count) {
      problems.add(field, `${start.addressMinusSuffix}-${end.address} holds ${Math.max(size, 0)} addresses, fewer than count (${count})`);
      return undefined;
    }
  }
  for (const subnet of nic.network.subnets) {
    if (isV4(subnet) === isV4(start) && !(inSubnet(start, subnet) && inSubnet(last, subnet))) {
      problems.add(field, `${describe({ first: start, last })} is outside the network's subnet ${subnet.address}`);
      return undefined;
    }
  }
  const range = { first: start, last };
  for (const address of [start, last]) {
    const role = reservedRole(address);
    if (role) {
      problems.add(field, `${describe(range)} includes its subnet's ${role} ${hostKey(address)}, which no interface may have`);
      return undefined;
    }
  }
  const gateway = isV4(start) ? (nic.gateway4 ?? nic.network.lan.gateway4) : (nic.gateway6 ?? nic.network.lan.gateway6);
  const gatewayAddress = gateway === undefined ? undefined : plainAddress(gateway);
  if (gatewayAddress && isV4(gatewayAddress) === isV4(start) && within(gatewayAddress, range)) {
    problems.add(field, `${describe(range)} includes the gateway ${gateway}`);
    return undefined;
  }
  return range;
}

function within(address: IpAddress, range: Range): boolean {
  return range.first.bigInt() <= address.bigInt() && address.bigInt() <= range.last.bigInt();
}

function overlaps(a: Range, b: Range): boolean {
  if (isV4(a.first) !== isV4(b.first)) return false;
  return a.first.bigInt() <= b.last.bigInt() && b.first.bigInt() <= a.last.bigInt();
}

function describe(range: Range): string {
  return `${hostKey(range.first)}-${hostKey(range.last)}`;
}

import { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { Network } from "../.gen/providers/libvirt/network";
import { defaultName } from "./default-name";
import { Problems } from "./errors";
import { importExisting, uuidProblem } from "./import-existing";
import { addressPlus, inSubnet, IpAddress, isV4, parseAddress, parseSubnet, rangeLength } from "./ip";
import { LibvirtHost } from "./libvirt-host";
import { literal } from "./literal";
import { bridgeNameProblem, hostLabelProblem, hostNameProblem } from "./names";
import { nameElement } from "./resource-name";

/** What the LAN offers a guest with static addresses: checked against, and used as defaults. */
export interface LanSettings {
  /** Subnets in CIDR notation that static addresses on this network must fall in. @default - not checked */
  readonly subnets?: string[];
  /** @default - none: give it per interface */
  readonly gateway4?: string;
  /** @default - none: give it per interface */
  readonly gateway6?: string;
  /** @default - none */
  readonly nameservers?: string[];
  /** @default - none */
  readonly searchDomains?: string[];
}

export interface HostBridgeOptions extends LanSettings {
  /** The host's bridge interface, e.g. "br0" (at most 15 characters). */
  readonly bridge: string;
}

/** Adopting a libvirt network that exists already. */
export interface ImportableNetworkOptions {
  /**
   * Adopt the existing libvirt network with this UUID (`virsh net-uuid <name>`) instead of defining one:
   * the first deploy imports it. Declare it as it is: 0.9.7 changes only an adopted network's autostart
   * (see import-existing.ts).
   * @default - a new network is defined
   */
  readonly importUuid?: string;
}

export interface BridgedNetworkOptions extends HostBridgeOptions, ImportableNetworkOptions {
  /** @default - the construct id */
  readonly name?: string;
}

export interface NatNetworkOptions extends ImportableNetworkOptions {
  /** @default - the construct path below the host, joined with "-" (the id, directly on the host) */
  readonly name?: string;
  /** The lab subnet; the host takes its first address as gateway, e.g. "10.10.10.0/24". */
  readonly subnet: string;
  /** Addresses libvirt's dnsmasq hands out. @default - no DHCP: every guest needs a static address */
  readonly dhcpRange?: { readonly start: string; readonly end: string };
  /** DNS domain of the guests. @default - none */
  readonly domain?: string;
  /** Name of the bridge libvirt creates. @default - chosen by libvirt (virbrN) */
  readonly bridge?: string;
}

/** @internal how an interface on this network is rendered */
export interface InterfaceSource {
  readonly bridge?: { readonly bridge: string };
  readonly network?: { readonly network: string };
}

type Kind = "host-bridge" | "bridged" | "nat";

/**
 * A layer-2 network VMs attach to: the host's own bridge (VMs are hosts on the LAN, no NAT), a libvirt
 * network in bridge mode over such a bridge, or a libvirt NAT network with DHCP for labs.
 */
export class BridgeNetwork extends Construct {
  /** Attach VMs straight to an existing host bridge such as br0; creates no resource. */
  public static fromHostBridge(scope: Construct, id: string, options: HostBridgeOptions): BridgeNetwork {
    return new BridgeNetwork(scope, id, "host-bridge", options);
  }

  /** A libvirt network in `bridge` forward mode over an existing host bridge (libvirt serves no DHCP). */
  public static bridged(scope: Construct, id: string, options: BridgedNetworkOptions): BridgeNetwork {
    return new BridgeNetwork(scope, id, "bridged", options);
  }

  /** A NAT network with its own bridge, gateway and optional DHCP range, for labs. */
  public static nat(scope: Construct, id: string, options: NatNetworkOptions): BridgeNetwork {
    const subnet = parseSubnetOrUndefined(options.subnet);
    const gateway = subnet && parseAddress(`${addressAfter(subnet)}/${subnet.subnetMask}`);
    return new BridgeNetwork(scope, id, "nat", {
      ...options,
      bridge: options.bridge,
      subnets: [options.subnet],
      ...(gateway && (isV4(gateway) ? { gateway4: gateway.addressMinusSuffix } : { gateway6: gateway.addressMinusSuffix })),
      nameservers: gateway ? [gateway.addressMinusSuffix!] : undefined,
      searchDomains: options.domain ? [options.domain] : undefined,
    });
  }

  public readonly kind: Kind;
  /** The host bridge name, when known at synth time. */
  public readonly bridge?: string;
  public readonly lan: LanSettings;
  /** The parsed subnets static addresses must lie in. */
  public readonly subnets: readonly IpAddress[];
  /**
   * Whether a guest without static addresses can get one by DHCP here: a NAT network only with a
   * `dhcpRange`; on a host bridge the LAN's own DHCP server is assumed.
   */
  public readonly servesDhcp: boolean;
  /**
   * The underlying `libvirt_network` resource, for provider fields the props do not cover
   * (`addOverride`); none for a host bridge, which creates no resource.
   */
  public readonly resource?: TerraformResource;
  private readonly source: InterfaceSource;

  private constructor(
    scope: Construct,
    id: string,
    kind: Kind,
    options: Partial<HostBridgeOptions & NatNetworkOptions & { name: string }>,
  ) {
    super(scope, id);
    this.kind = kind;
    this.bridge = options.bridge;
    this.lan = options;
    this.servesDhcp = kind !== "nat" || options.dhcpRange !== undefined;
    const problems = new Problems();
    const name = options.name ?? defaultName(this, 63);
    if (kind !== "host-bridge") {
      const p = hostLabelProblem(name);
      if (p) problems.add("name", p);
    }
    if (options.bridge !== undefined || kind !== "nat") {
      const p = bridgeNameProblem(options.bridge ?? "");
      if (p) problems.add("bridge", p);
    }
    const subnets: IpAddress[] = [];
    (options.subnets ?? []).forEach((text, i) => {
      const subnet = problems.attempt(kind === "nat" ? "subnet" : `subnets[${i}]`, () => parseSubnet(text));
      if (subnet) subnets.push(subnet);
    });
    this.subnets = subnets;
    // the host takes the subnet's first address: a guest needs another that is neither network nor broadcast
    if (kind === "nat" && subnets[0] && subnets[0].subnetMask > (isV4(subnets[0]) ? 30 : 126)) {
      problems.add("subnet", `"${options.subnet}" leaves no address for guests: a NAT subnet needs a prefix of at most /${isV4(subnets[0]) ? 30 : 126}`);
    }
    for (const field of ["gateway4", "gateway6"] as const) {
      const text = options[field];
      if (text === undefined || kind === "nat") continue;
      const gateway = problems.attempt(field, () => parseAddress(text, { forbidPrefix: true }));
      if (gateway && isV4(gateway) !== (field === "gateway4")) problems.add(field, `"${text}" is not an ${field === "gateway4" ? "IPv4" : "IPv6"} address`);
      else if (gateway && subnets.length > 0 && !subnets.some((s) => inSubnet(gateway, s))) {
        problems.add(field, `${text} is outside the network's subnets (${options.subnets!.join(", ")})`);
      }
    }
    (options.nameservers ?? []).forEach((ns, i) => problems.attempt(`nameservers[${i}]`, () => parseAddress(ns, { forbidPrefix: true })));
    (options.searchDomains ?? []).forEach((d, i) => {
      const p = hostNameProblem(d);
      if (p) problems.add(`searchDomains[${i}]`, p);
    });
    const range = options.dhcpRange;
    if (range && subnets[0]) {
      const start = problems.attempt("dhcpRange.start", () => parseAddress(range.start, { forbidPrefix: true }));
      const end = problems.attempt("dhcpRange.end", () => parseAddress(range.end, { forbidPrefix: true }));
      if (start && !inSubnet(start, subnets[0])) problems.add("dhcpRange.start", `${range.start} is outside ${options.subnet}`);
      if (end && !inSubnet(end, subnets[0])) problems.add("dhcpRange.end", `${range.end} is outside ${options.subnet}`);
      if (start && end && inSubnet(start, subnets[0]) && inSubnet(end, subnets[0])) {
        const gateway = addressPlus(subnets[0], 1);
        const inRange = (a: IpAddress) => start.bigInt() <= a.bigInt() && a.bigInt() <= end.bigInt();
        if (rangeLength(start, end) < 1) problems.add("dhcpRange", `${range.start} comes after ${range.end}`);
        else if (inRange(gateway)) problems.add("dhcpRange", `${range.start}-${range.end} includes the host's address ${gateway.addressMinusSuffix}`);
        else if (inRange(subnets[0]) || (isV4(subnets[0]) && inRange(subnets[0].endAddress()))) {
          problems.add("dhcpRange", `${range.start}-${range.end} includes the subnet's network or broadcast address`);
        }
      }
    }
    const uuid = options.importUuid !== undefined && uuidProblem(options.importUuid, "virsh net-uuid <name>");
    if (uuid) problems.add("importUuid", uuid);
    problems.throwIfAny(this);

    if (kind === "host-bridge") {
      this.source = { bridge: { bridge: literal(options.bridge!) } };
      return;
    }
    const network = new Network(this, "Resource", {
      provider: LibvirtHost.of(this)._provider,
      name,
      autostart: true,
      ...(kind === "bridged"
        ? { forward: { mode: "bridge" }, bridge: { name: literal(options.bridge!) } }
        : natConfig(subnets[0], options as NatNetworkOptions)),
    });
    nameElement(network, this);
    importExisting(network, options.importUuid);
    this.source = { network: { network: network.name } };
    this.resource = network;
  }

  /** @internal */
  public _interfaceSource(): InterfaceSource {
    return this.source;
  }

  /** Where the guest's address can be read: no DHCP leases on a host bridge, so only the guest agent knows. */
  public get addressSource(): "agent" | "any" {
    return this.kind === "nat" ? "any" : "agent";
  }
}

function parseSubnetOrUndefined(text: string): IpAddress | undefined {
  try {
    return parseSubnet(text);
  } catch {
    return undefined; // reported by the constructor, with its field name
  }
}

/** The host's own address on a NAT network: the subnet's first. */
function addressAfter(subnet: IpAddress): string {
  return addressPlus(subnet, 1).correctForm();
}

function natConfig(subnet: IpAddress, options: NatNetworkOptions) {
  return {
    forward: { mode: "nat" },
    ...(options.bridge && { bridge: { name: literal(options.bridge) } }),
    ...(options.domain && { domain: { name: options.domain } }),
    ips: [
      {
        address: addressAfter(subnet),
        prefix: subnet.subnetMask,
        ...(isV4(subnet) ? {} : { family: "ipv6" }),
        ...(options.dhcpRange && { dhcp: { ranges: [{ start: options.dhcpRange.start, end: options.dhcpRange.end }] } }),
      },
    ],
  };
}

import { createHash } from "crypto";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { CloudinitDisk } from "../.gen/providers/libvirt/cloudinit-disk";
import { Volume as VolumeResource } from "../.gen/providers/libvirt/volume";
import { Problems } from "./errors";
import { inSubnet, IpAddress, isV4, parseAddress, reservedRole, sameHost } from "./ip";
import { LibvirtHost } from "./libvirt-host";
import { literal } from "./literal";
import { hostNameProblem } from "./names";
import { nameElement } from "./resource-name";
import { Secret } from "./secret";
import { IStoragePool } from "./storage-pool";

export interface CloudInitUser {
  readonly name: string;
  /** Public keys, one per entry ("ssh-ed25519 AAAA... you@laptop"). @default - none */
  readonly sshAuthorizedKeys?: string[];
  /**
   * A crypt(3) hash ("$6$...", "$y$..."), never a plain password: user-data is readable in the seed ISO
   * and in Terraform state. Use a Secret to keep even the hash out of the configuration.
   * @default - no password: SSH keys only
   */
  readonly passwordHash?: string | Secret;
  /** Passwordless sudo. @default false */
  readonly sudo?: boolean;
  /** @default - none */
  readonly groups?: string[];
  /** @default - the image's default shell */
  readonly shell?: string;
}

/** The user-data a VM boots with. */
export interface CloudInitOptions {
  /** @default - the image's default user only */
  readonly users?: CloudInitUser[];
  /** Packages to install on first boot. @default - none */
  readonly packages?: string[];
  /** Commands run once on first boot: a string for the shell, or an argv array. @default - none */
  readonly runcmd?: (string | string[])[];
  /** An IANA zone such as "Europe/Berlin". @default - the image's (usually UTC) */
  readonly timezone?: string;
  /** Fully qualified name; must start with the VM's hostname. @default - none */
  readonly fqdn?: string;
  /**
   * Whether a changed configuration reaches a guest that has booted before. cloud-init runs its
   * per-instance steps (users, packages, runcmd, network) once per instance-id, and by default the id is
   * the hostname, so an existing guest keeps its first-boot configuration when this one changes (the
   * seed is replaced, nothing else). With true, the instance-id is derived from the documents: the next
   * cold start after a change (the VM powered off and on, not rebooted from inside) is a new instance,
   * and cloud-init runs all of it again, including new SSH host keys and the default user's setup.
   * A rotated secret does not change the id (its value is not in the documents).
   * @default false
   */
  readonly applyOnChange?: boolean;
}

/** How one NIC gets its addresses. */
export interface NicAddressing {
  /** The NIC's MAC, which the guest matches its config on. */
  readonly mac: string;
  /** Static addresses with prefix length ("192.168.1.50/24", "2001:db8::50/64"). @default - DHCP (and SLAAC) */
  readonly addresses?: string[];
  readonly gateway4?: string;
  readonly gateway6?: string;
  readonly nameservers?: string[];
  readonly searchDomains?: string[];
}

export interface CloudInitProps extends CloudInitOptions {
  readonly hostname: string;
  readonly nics: NicAddressing[];
  readonly pool: IStoragePool;
}

const CRYPT_HASH = /^\$(1|2[abxy]|5|6|y|gy|7|sha1|md5)\$\S+$/;
const PLACEHOLDER = (i: number) => `@@cdktf-libvirt-secret-${i}@@`;

/**
 * The cloud-init seed of a VM (its options are validated by the VM, which owns the field names): user-data, meta-data and network-config (v2) rendered to YAML, written to
 * an ISO by the provider, uploaded as a volume and attached as a SATA CD-ROM, as 0.9.7 expects.
 */
export class CloudInit extends Construct {
  /** The seed volume's name in its pool (a Terraform reference). */
  public readonly volumeName: string;
  public readonly pool: IStoragePool;
  /** The rendered documents, with secrets as Terraform expressions. */
  public readonly userData: string;
  private readonly hostname: string;
  private readonly applyOnChange: boolean;
  private readonly disk: CloudinitDisk;
  private renderedMetaData = "";
  private renderedNetworkConfig: string;

  constructor(scope: Construct, id: string, props: CloudInitProps) {
    super(scope, id);
    this.pool = props.pool;
    const secrets: Secret[] = [];
    const userData = renderUserData(props, (secret) => PLACEHOLDER(secrets.push(secret) - 1));
    // user text may contain "${" (shell); Terraform would read it as an expression, so escape it
    this.userData = secrets.reduce((text, secret, i) => text.replace(PLACEHOLDER(i), secret._expression), literal(userData));
    this.hostname = props.hostname;
    this.applyOnChange = props.applyOnChange ?? false;
    this.renderedNetworkConfig = literal(renderNetworkConfig(props.nics));
    this.renderMeta();

    const seedName = `${props.hostname}-seed.iso`;
    const problems = new Problems();
    const taken = LibvirtHost.of(this)._claimVolume(this, props.pool.poolName, seedName);
    if (taken) problems.add("name", taken);
    problems.throwIfAny(this);

    const provider = LibvirtHost.of(this)._provider;
    const disk = (this.disk = new CloudinitDisk(this, "Seed", {
      provider,
      name: `${props.hostname}-seed`,
      userData: this.userData,
      metaData: this.metaData,
      networkConfig: this.renderedNetworkConfig,
    }));
    const diskName = nameElement(disk, this, "seed");
    const volume = new VolumeResource(this, "Volume", {
      provider,
      name: seedName,
      pool: props.pool.poolName,
      create: { content: { url: disk.path } },
      // the provider cannot update a volume's content; a new seed must replace it (it holds no data).
      // A plain address: Terraform's JSON syntax rejects the "${...}" form cdktf renders for a resource.
      lifecycle: { replaceTriggeredBy: [`libvirt_cloudinit_disk.${diskName}`] },
    });
    nameElement(volume, this);
    // read by deploy: replacing this volume loses nothing, so it needs no allow-list entry
    volume.addOverride("//.cdktf-libvirt.disposable", "cloud-init seed, rebuilt from the configuration");
    this.volumeName = volume.name;
  }

  public get networkConfig(): string {
    return this.renderedNetworkConfig;
  }

  public get metaData(): string {
    return this.renderedMetaData;
  }

  /** Renders network-config (and the meta-data that may depend on it) again for NICs added after construction. @internal */
  public _setNics(nics: NicAddressing[]): void {
    this.renderedNetworkConfig = literal(renderNetworkConfig(nics));
    this.disk.networkConfig = this.renderedNetworkConfig;
    this.disk.metaData = this.renderMeta();
  }

  private renderMeta(): string {
    const instanceId = this.applyOnChange ? changeTrackingInstanceId(this.hostname, this.userData, this.renderedNetworkConfig) : this.hostname;
    this.renderedMetaData = literal(renderMetaData(this.hostname, instanceId));
    return this.renderedMetaData;
  }
}

// cloud-init reads these documents with PyYAML, i.e. YAML 1.1, where an unquoted `on` is true and
// 52:54:00:12:34:56 a base-60 integer: render with 1.1's rules, so such strings are quoted
const YAML_OPTIONS = { version: "1.1", lineWidth: 0 } as const;

/** Records what is wrong with user-data options (fields named as in VirtualMachineProps). */
export function validateCloudInit(problems: Problems, options: CloudInitOptions, hostname: string): void {
  if (options.fqdn !== undefined) {
    const p = hostNameProblem(options.fqdn);
    if (p) problems.add("cloudInit.fqdn", p);
    else if (!options.fqdn.startsWith(`${hostname}.`)) {
      problems.add("cloudInit.fqdn", `"${options.fqdn}" must start with the hostname "${hostname}."`);
    }
  }
  const userNames = new Set<string>();
  (options.users ?? []).forEach((user, i) => {
    const field = `cloudInit.users[${i}]`;
    if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user.name)) problems.add(`${field}.name`, `"${user.name}" is not a valid user name`);
    if (userNames.has(user.name)) problems.add(`${field}.name`, `"${user.name}" is declared twice`);
    userNames.add(user.name);
    if (typeof user.passwordHash === "string" && !CRYPT_HASH.test(user.passwordHash)) {
      problems.add(`${field}.passwordHash`, "must be a crypt(3) hash such as $6$... or $y$... (mkpasswd), never a plain password");
    }
    (user.sshAuthorizedKeys ?? []).forEach((key, k) => {
      if (!/^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp\d+|sk-\S+)\s+[A-Za-z0-9+/=]+(\s.*)?$/.test(key.trim())) {
        problems.add(`${field}.sshAuthorizedKeys[${k}]`, 'is not an OpenSSH public key line ("ssh-ed25519 AAAA... comment")');
      }
    });
  });
  if (options.timezone !== undefined && !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(options.timezone)) {
    problems.add("cloudInit.timezone", `"${options.timezone}" is not an IANA time zone like Europe/Berlin`);
  }
}

/** Records what is wrong with a NIC's static addressing; `subnets` are the network's, when it declares them. */
export function validateNic(problems: Problems, field: string, nic: NicAddressing, subnets: readonly IpAddress[]): void {
  const parsed: IpAddress[] = [];
  let addressProblems = false;
  (nic.addresses ?? []).forEach((text, a) => {
    const address = problems.attempt(`${field}.addresses[${a}]`, () => parseAddress(text, { requirePrefix: true }));
    if (!address) {
      addressProblems = true;
      return;
    }
    parsed.push(address);
    const sameFamily = subnets.filter((s) => isV4(s) === isV4(address));
    const role = reservedRole(address);
    const gateway = isV4(address) ? nic.gateway4 : nic.gateway6;
    if (sameFamily.length > 0 && !sameFamily.some((s) => inSubnet(address, s) && address.subnetMask === s.subnetMask)) {
      addressProblems = true;
      problems.add(`${field}.addresses[${a}]`, `${text} is outside the network's subnets (${subnets.map((s) => s.address).join(", ")})`);
    } else if (role) {
      addressProblems = true;
      problems.add(`${field}.addresses[${a}]`, `${text} is its subnet's ${role}, which no interface may have`);
    } else if (gateway !== undefined && sameHost(address, gateway)) {
      addressProblems = true;
      problems.add(`${field}.addresses[${a}]`, `${text} is the gateway's address`);
    }
  });
  // a gateway is judged against good addresses only: one wrong address should give one message
  if (addressProblems) return;
  for (const key of ["gateway4", "gateway6"] as const) {
    const text = nic[key];
    if (text === undefined) continue;
    const gateway = problems.attempt(`${field}.${key}`, () => parseAddress(text, { forbidPrefix: true }));
    if (!gateway) continue;
    if (isV4(gateway) !== (key === "gateway4")) {
      problems.add(`${field}.${key}`, `"${text}" is not an ${key === "gateway4" ? "IPv4" : "IPv6"} address`);
      continue;
    }
    const sameFamily = parsed.filter((a) => isV4(a) === isV4(gateway));
    if (sameFamily.length === 0) problems.add(`${field}.${key}`, `${text} needs a static ${key === "gateway4" ? "IPv4" : "IPv6"} address on the interface`);
    else if (!sameFamily.some((a) => inSubnet(gateway, a))) {
      problems.add(`${field}.${key}`, `${text} is outside the interface's subnet (${sameFamily.map((a) => a.address).join(", ")})`);
    }
  }
  (nic.nameservers ?? []).forEach((ns, i) => problems.attempt(`${field}.nameservers[${i}]`, () => parseAddress(ns, { forbidPrefix: true })));
}

/** The `#cloud-config` user-data; `secretRef` renders a Secret (the construct puts a Terraform expression there). */
export function renderUserData(props: CloudInitOptions & { hostname: string }, secretRef: (s: Secret) => string): string {
  const doc: Record<string, unknown> = { hostname: props.hostname };
  if (props.fqdn) {
    doc.fqdn = props.fqdn;
    doc.prefer_fqdn_over_hostname = true;
  }
  if (props.timezone) doc.timezone = props.timezone;
  if (props.users?.length) {
    doc.users = [
      "default",
      ...props.users.map((u) => ({
        name: u.name,
        ...(u.groups?.length && { groups: u.groups }),
        ...(u.shell && { shell: u.shell }),
        ...(u.sudo && { sudo: "ALL=(ALL) NOPASSWD:ALL" }),
        ...(u.passwordHash !== undefined
          ? { hashed_passwd: typeof u.passwordHash === "string" ? u.passwordHash : secretRef(u.passwordHash), lock_passwd: false }
          : { lock_passwd: true }),
        ...(u.sshAuthorizedKeys?.length && { ssh_authorized_keys: u.sshAuthorizedKeys }),
      })),
    ];
  }
  if (props.packages?.length) doc.packages = props.packages;
  if (props.runcmd?.length) doc.runcmd = props.runcmd;
  return `#cloud-config\n${stringify(doc, YAML_OPTIONS)}`;
}

/** meta-data; by default the instance-id is the hostname, so cloud-init's per-instance steps run once. */
export function renderMetaData(hostname: string, instanceId = hostname): string {
  return stringify({ "instance-id": instanceId, "local-hostname": hostname }, YAML_OPTIONS);
}

/** An instance-id that changes whenever the user-data or network-config does (see `applyOnChange`). */
function changeTrackingInstanceId(hostname: string, userData: string, networkConfig: string): string {
  const digest = createHash("sha256").update(userData).update("\0").update(networkConfig).digest("hex");
  return `${hostname}-${digest.slice(0, 12)}`;
}

/** Network config version 2, matching each NIC by MAC so the guest's interface names do not matter. */
export function renderNetworkConfig(nics: NicAddressing[]): string {
  const ethernets: Record<string, unknown> = {};
  nics.forEach((nic, i) => {
    const isStatic = (nic.addresses?.length ?? 0) > 0;
    const routes = nic.gateway4 ? [{ to: "0.0.0.0/0", via: nic.gateway4 }] : [];
    const nameservers = {
      ...(nic.nameservers?.length && { addresses: nic.nameservers }),
      ...(nic.searchDomains?.length && { search: nic.searchDomains }),
    };
    ethernets[`nic${i}`] = {
      match: { macaddress: nic.mac },
      "set-name": `eth${i}`,
      ...(isStatic ? { addresses: nic.addresses, dhcp4: false, dhcp6: false } : { dhcp4: true }),
      ...(routes.length && { routes }),
      // not a "::/0" route: cloud-init 22.x parses that as a /64 route (and rejects "default")
      ...(nic.gateway6 && { gateway6: nic.gateway6 }),
      ...(Object.keys(nameservers).length && { nameservers }),
    };
  });
  return stringify({ version: 2, ethernets }, YAML_OPTIONS);
}

import { Construct } from "constructs";
import { Lazy, TerraformOutput, TerraformResource } from "cdktf";
import { DataLibvirtDomainInterfaceAddresses } from "../.gen/providers/libvirt/data-libvirt-domain-interface-addresses";
import { Domain } from "../.gen/providers/libvirt/domain";
import { BaseImage } from "./base-image";
import { BridgeNetwork } from "./bridge-network";
import { CloudInit, CloudInitOptions, validateCloudInit, validateNic } from "./cloud-init";
import { CpuModel } from "./cpu-model";
import { CpuPinning, cpuPinningProblems, cpuTune, NumaPlacement, numaProblems, numaTune } from "./cpu-pinning";
import { defaultName } from "./default-name";
import { Problems, ValidationError } from "./errors";
import { Firmware } from "./firmware";
import { untraced } from "./framework";
import { Graphics } from "./graphics";
import { HostDevice } from "./host-device";
import { hostUseProblem } from "./host-use";
import { importExisting, uuidProblem } from "./import-existing";
import { hostKey, parseAddress } from "./ip";
import { LibvirtHost } from "./libvirt-host";
import { literal } from "./literal";
import { hugePagesProblem, memoryBacking } from "./memory-backing";
import { hostLabelProblem, macProblem } from "./names";
import { Architecture, defaultMachine, DomainType, machineProblem } from "./platform";
import { RemovalPolicy } from "./removal-policy";
import { nameElement } from "./resource-name";
import { duplicateTagProblems, filesystemDevice, mountCommands, ShareOptions, shareProblems, usesVirtiofs } from "./share";
import { Size } from "./size";
import { IStoragePool, StoragePool } from "./storage-pool";
import { tpmDevice } from "./tpm";
import { Volume } from "./volume";

/**
 * What a VirtualMachine is when its props say nothing. The one place these values are written: the spec's
 * schema and the NixOS options document them from here.
 */
export const VM_DEFAULTS = {
  memory: Size.mebibytes(2048),
  vcpus: 1,
  systemDiskSize: Size.gibibytes(20),
  shutdownTimeoutSeconds: 120,
  autostart: true,
  running: true,
  guestAgent: true,
  waitForAddress: false,
} as const;

export const MIN_MEMORY = Size.mebibytes(128);
export const MAX_MEMORY = Size.tebibytes(4);
export const MAX_VCPUS = 256;

export interface NetworkInterfaceOptions {
  readonly network: BridgeNetwork;
  /**
   * @default - derived from the host id, VM name and NIC index (52:54:00:xx:xx:xx), stable across rebuilds;
   * give one where two hypervisors with equal host ids and VM names share a LAN
   */
  readonly mac?: string;
  /** Static addresses with prefix ("192.168.1.50/24"). @default - DHCP */
  readonly addresses?: string[];
  /** @default - the network's gateway4 when addresses are static */
  readonly gateway4?: string;
  /** @default - the network's gateway6 when addresses are static */
  readonly gateway6?: string;
  /** @default - the network's nameservers */
  readonly nameservers?: string[];
  /** @default - the network's search domains */
  readonly searchDomains?: string[];
}

export interface VirtualMachineProps {
  /** libvirt domain name. @default - the construct path below the host, joined with "-" (the id, directly on the host) */
  readonly name?: string;
  /** Guest hostname (an RFC 1123 label). @default - the domain name */
  readonly hostname?: string;
  /** @default Size.mebibytes(2048) */
  readonly memory?: Size;
  /** @default 1 */
  readonly vcpus?: number;
  /** KVM, or QEMU's software emulation for hosts without `/dev/kvm`. @default DomainType.KVM */
  readonly domainType?: DomainType;
  /**
   * @default - CpuModel.hostPassthrough() with KVM; QEMU's default model (qemu64 on x86_64) when emulated
   */
  readonly cpu?: CpuModel;
  /** The guest's architecture; it must be one the host's QEMU runs. @default Architecture.X86_64 */
  readonly arch?: Architecture;
  /** QEMU machine type. @default - "q35" on x86_64, "virt" on aarch64 */
  readonly machine?: string;
  /** Boot from a copy-on-write overlay of this image (give this or `systemDisk`). */
  readonly image?: BaseImage;
  /** Size of the overlay made from `image`. @default Size.gibibytes(20) */
  readonly systemDiskSize?: Size;
  /** What happens to the overlay made from `image` when the VM goes. @default RemovalPolicy.RETAIN */
  readonly systemDiskRemovalPolicy?: RemovalPolicy;
  /** A system disk you built yourself, instead of `image`. */
  readonly systemDisk?: Volume;
  /** Extra disks, attached as vdb, vdc, ... in this order. @default - none */
  readonly dataDisks?: Volume[];
  /** @default - none (add with addInterface) */
  readonly interfaces?: NetworkInterfaceOptions[];
  /** User-data on top of hostname and network config, which are always rendered. @default - none */
  readonly cloudInit?: CloudInitOptions;
  /** Pool of the overlay and the cloud-init seed. @default - the image's pool, else the system disk's */
  readonly pool?: IStoragePool;
  /** Start with the host. @default true */
  readonly autostart?: boolean;
  /** Keep the VM running (0.9.7 only defines a domain unless this is set). @default true */
  readonly running?: boolean;
  /** @default - Firmware.bios() on x86_64; Firmware.uefi() (the host's files) on aarch64, which boots nothing else */
  readonly firmware?: Firmware;
  /** @default - none: serial console only (`virsh console <name>`) */
  readonly graphics?: Graphics;
  /**
   * Seconds to wait for an ACPI shutdown before an update (which redefines the domain) forces the VM
   * off, and before a destroy fails.
   * @default 120
   */
  readonly shutdownTimeoutSeconds?: number;
  /** A virtio channel for qemu-guest-agent, and the package in user-data; the agent reports addresses. @default true */
  readonly guestAgent?: boolean;
  /** Make apply wait until the guest reports an address, so outputs are filled at once. @default false */
  readonly waitForAddress?: boolean;
  /** Host directories the guest mounts (virtiofs or 9p). @default - none */
  readonly shares?: ShareOptions[];
  /** A TPM 2.0 (swtpm; the host needs it installed), e.g. for Windows 11 or measured boot. @default false */
  readonly tpm?: boolean;
  /**
   * Back the guest's memory with huge pages of this size (Size.mebibytes(2) or Size.gibibytes(1) on
   * x86_64), which the host must have reserved (on NixOS `boot.kernelParams = [ "hugepages=N" ]`).
   * @default - ordinary pages
   */
  readonly hugePages?: Size;
  /** Pin vCPUs and QEMU's emulator threads to host CPUs. @default - none: they run anywhere */
  readonly cpuPinning?: CpuPinning;
  /** Place guest memory on host NUMA nodes. @default - wherever the host's kernel puts it */
  readonly numa?: NumaPlacement;
  /** Host PCI and USB devices handed to the guest whole (a GPU, a USB stick). @default - none */
  readonly hostDevices?: HostDevice[];
  /**
   * Adopt the existing domain with this UUID (`virsh domuuid <name>`) instead of creating one: the first
   * deploy imports it and then updates it to this configuration, keeping its UUID and disks. Its disks
   * must be given as Volume.existing (0.9.7 cannot import volumes), its MACs as `mac` (or they change),
   * and it gets no cloud-init seed: the guest is installed already.
   * @default - a new domain is created
   */
  readonly importUuid?: string;
}

/** A value that must be unique on the host, and the field it comes from. */
type Claim = [kind: string, value: string, field: string];

interface Nic extends NetworkInterfaceOptions {
  readonly mac: string;
}

interface DeclaredResources {
  /** None for an adopted domain: cloud-init has run (or never will) in its guest. */
  readonly seed?: CloudInit;
  readonly domain: Domain;
  readonly addresses: DataLibvirtDomainInterfaceAddresses;
  readonly addressesName: string;
  readonly output: TerraformOutput;
}

/** A KVM guest: a libvirt domain with its system disk, data disks, NICs and cloud-init seed. */
export class VirtualMachine extends Construct {
  public readonly name: string;
  public readonly hostname: string;
  public readonly memory: Size;
  public readonly vcpus: number;
  public readonly firmware: Firmware;
  public readonly domainType: DomainType;
  public readonly arch: Architecture;
  public readonly machine: string;
  public readonly systemDisk: Volume;
  /** The domain's UUID (a Terraform reference), for outputs and references. */
  public readonly uuid: string;
  /**
   * The underlying `libvirt_domain` resource, for provider fields the props do not cover: the 0.9
   * schema mirrors libvirt's domain XML, so `vm.domainResource.addOverride("devices.rngs", [...])` adds
   * a device the props have no word for. Fields use the provider's snake_case names; what is set this way
   * is yours to keep valid.
   */
  public readonly domainResource: TerraformResource;
  private readonly dataDisks: Volume[] = [];
  private readonly nics: Nic[] = [];
  private readonly host: LibvirtHost;
  private readonly waitForAddress: boolean;
  private readonly hostDevices: HostDevice[];
  // declared once the constructor has added the initial disks and NICs; later ones are rendered into them
  private declared?: DeclaredResources;

  constructor(scope: Construct, id: string, props: VirtualMachineProps) {
    super(scope, id);
    this.host = LibvirtHost.of(this);
    this.name = props.name ?? defaultName(this, 63);
    this.hostname = props.hostname ?? this.name;
    this.memory = props.memory ?? VM_DEFAULTS.memory;
    this.vcpus = props.vcpus ?? VM_DEFAULTS.vcpus;
    this.domainType = props.domainType ?? DomainType.KVM;
    this.arch = props.arch ?? Architecture.X86_64;
    this.firmware = props.firmware ?? (this.arch === Architecture.AARCH64 ? Firmware.uefi() : Firmware.bios());
    this.machine = props.machine ?? defaultMachine(this.arch);
    const shutdownTimeout = props.shutdownTimeoutSeconds ?? VM_DEFAULTS.shutdownTimeoutSeconds;
    const guestAgent = props.guestAgent ?? VM_DEFAULTS.guestAgent;
    this.waitForAddress = props.waitForAddress ?? VM_DEFAULTS.waitForAddress;

    const problems = new Problems();
    const nameProblem = hostLabelProblem(this.name);
    if (nameProblem) problems.add("name", nameProblem);
    // the hostname defaults to the name: report it only when it was given
    const hostnameProblem = props.hostname !== undefined && hostLabelProblem(props.hostname);
    if (hostnameProblem) problems.add("hostname", hostnameProblem);
    for (const [kind, value, field] of [["domain name", this.name, "name"], ["hostname", this.hostname, "hostname"]] as const) {
      const duplicate = this.claim(kind, value, field);
      if (duplicate) problems.add(field, duplicate);
    }
    if (this.memory.bytes < MIN_MEMORY.bytes || this.memory.bytes > MAX_MEMORY.bytes) {
      problems.add("memory", `must be between ${MIN_MEMORY} and ${MAX_MEMORY} (got ${this.memory})`);
    } else if (!this.memory.isWholeNumberOf("MiB")) {
      problems.add("memory", `must be a whole number of MiB (got ${this.memory.bytes} bytes)`);
    }
    if (!Number.isInteger(this.vcpus) || this.vcpus < 1 || this.vcpus > MAX_VCPUS) {
      problems.add("vcpus", `must be a whole number from 1 to ${MAX_VCPUS} (got ${this.vcpus})`);
    }
    if (!Number.isInteger(shutdownTimeout) || shutdownTimeout < 1) {
      problems.add("shutdownTimeoutSeconds", `must be a whole number of seconds, at least 1 (got ${shutdownTimeout})`);
    }
    if (props.image && props.systemDisk) problems.add("systemDisk", "give either image or systemDisk, not both");
    if (!props.image && !props.systemDisk) problems.add("image", "a VM needs an image to boot from (or a systemDisk)");
    if (props.systemDisk && props.systemDiskSize) problems.add("systemDiskSize", "applies only to a disk made from image");
    const foreign: [string, unknown, typeof BaseImage | typeof Volume | typeof StoragePool, string][] = [
      ["image", props.image, BaseImage, "images"],
      ["systemDisk", props.systemDisk, Volume, "disks"],
      // a pool named by StoragePool.fromName is a name on whichever host uses it
      ["pool", props.pool instanceof StoragePool ? props.pool : undefined, StoragePool, "pools"],
    ];
    for (const [field, used, kind, what] of foreign) {
      const problem = used !== undefined && hostUseProblem(this, used, kind, what);
      if (problem) problems.add(field, problem);
    }
    for (const [field, message] of this.firmware.problems()) problems.add(field, message);
    if (!Object.values(DomainType).includes(this.domainType)) problems.add("domainType", `must be one of ${Object.values(DomainType).join(", ")} (got ${this.domainType})`);
    else for (const message of props.cpu?.problems(this.domainType) ?? []) problems.add("cpu", message);
    if (!Object.values(Architecture).includes(this.arch)) problems.add("arch", `must be one of ${Object.values(Architecture).join(", ")} (got ${this.arch})`);
    const machineIssue = machineProblem(this.machine);
    if (machineIssue) problems.add("machine", machineIssue);
    if (this.arch === Architecture.AARCH64 && this.firmware.uefi?.secureBoot) {
      problems.add("firmware.secureBoot", "secure boot is offered for x86_64 guests only (OVMF with SMM)");
    }
    if (this.arch === Architecture.AARCH64 && !this.firmware.uefi) {
      problems.add("firmware", "aarch64 guests boot UEFI only: leave firmware unset or give Firmware.uefi()");
    }
    if (props.cloudInit) validateCloudInit(problems, props.cloudInit, this.hostname);
    const shares = props.shares ?? [];
    const tuningProblems = [
      ...shares.flatMap((share, i) => shareProblems(share, `shares[${i}]`)),
      ...duplicateTagProblems(shares, "shares"),
      ...(props.cpuPinning ? cpuPinningProblems(props.cpuPinning, this.vcpus) : []),
      ...(props.numa ? numaProblems(props.numa) : []),
    ];
    for (const [field, message] of tuningProblems) problems.add(field, message);
    (props.hostDevices ?? []).forEach((device, i) => {
      const p = device.problem();
      if (p) problems.add(`hostDevices[${i}]`, p);
    });
    const hugePages = props.hugePages && hugePagesProblem(props.hugePages, this.memory);
    if (hugePages) problems.add("hugePages", hugePages);
    if (props.importUuid !== undefined) {
      const uuid = uuidProblem(props.importUuid, "virsh domuuid <name>");
      if (uuid) problems.add("importUuid", uuid);
      else {
        const duplicate = this.claim("domain UUID", props.importUuid.toLowerCase(), "importUuid");
        if (duplicate) problems.add("importUuid", duplicate);
      }
      if (props.image) problems.add("image", "an adopted domain keeps its disks: give them as systemDisk (Volume.existing), not an image to create one from");
      if (props.cloudInit) problems.add("cloudInit", "an adopted domain's guest is installed already; cloud-init user-data is not given to it");
    }
    problems.throwIfAny(this);

    this.systemDisk =
      props.systemDisk ??
      untraced(() =>
        Volume.fromBaseImage(this, "SystemDisk", {
          image: props.image!,
          size: props.systemDiskSize ?? VM_DEFAULTS.systemDiskSize,
          pool: props.pool,
          name: `${this.name}-system.qcow2`,
          removalPolicy: props.systemDiskRemovalPolicy,
        }),
      );
    for (const disk of props.dataDisks ?? []) this.addDisk(disk);
    for (const nic of props.interfaces ?? []) this.addInterface(nic);
    const declared = (this.declared = untraced(() => this.declareResources(props, shutdownTimeout, guestAgent)));
    this.uuid = untraced(() => declared.domain.uuid);
    this.domainResource = declared.domain;
    this.hostDevices = props.hostDevices ?? [];
    this.node.addValidation({ validate: () => this.validateUniqueness() });
  }

  /** The cloud-init seed, the domain, its address lookup and its output. */
  private declareResources(props: VirtualMachineProps, shutdownTimeout: number, guestAgent: boolean): DeclaredResources {
    const cloudInitOptions = props.cloudInit ?? {};
    const shares = props.shares ?? [];
    const seed = props.importUuid !== undefined ? undefined : new CloudInit(this, "CloudInit", {
      ...cloudInitOptions,
      ...(guestAgent && { packages: unique([...(cloudInitOptions.packages ?? []), "qemu-guest-agent"]) }),
      runcmd: [
        ...(cloudInitOptions.runcmd ?? []),
        ...shares.flatMap((share) => mountCommands(share)),
        ...(guestAgent ? [["systemctl", "enable", "--now", "qemu-guest-agent"]] : []),
      ],
      hostname: this.hostname,
      pool: props.pool ?? this.systemDisk.pool,
      nics: this.nics,
    });

    const uefi = this.firmware._paths(this);
    const cpu = props.cpu ?? (this.domainType === DomainType.KVM ? CpuModel.hostPassthrough() : undefined);
    const domain = new Domain(this, "Resource", {
      provider: this.host._provider,
      name: this.name,
      type: this.domainType,
      memory: this.memory.toMebibytes(),
      memoryUnit: "MiB",
      vcpu: this.vcpus,
      running: props.running ?? VM_DEFAULTS.running,
      autostart: props.autostart ?? VM_DEFAULTS.autostart,
      cpu: cpu && { mode: cpu.mode, model: cpu.model },
      memoryBacking: memoryBacking(props.hugePages, usesVirtiofs(shares)),
      cpuTune: props.cpuPinning && cpuTune(props.cpuPinning),
      numaTune: props.numa && numaTune(props.numa),
      // secure boot needs SMM, so that the guest OS cannot write the firmware's variables behind its back
      features: { acpi: true, ...(uefi?.secureBoot && { smm: { state: "on" } }) },
      os: {
        type: "hvm",
        typeArch: this.arch,
        typeMachine: this.machine,
        bootDevices: [{ dev: "hd" }],
        ...(uefi && {
          loader: uefi.loader,
          loaderReadonly: "yes",
          loaderType: "pflash",
          loaderSecure: uefi.secureBoot ? "yes" : undefined,
          nvRam: { nvRam: `${uefi.nvramDir}/${this.name}_VARS.fd`, template: uefi.nvramTemplate },
        }),
      },
      devices: {
        disks: this.diskDevices(seed),
        interfaces: this.interfaceDevices(),
        // no source: libvirt gives the chardevs a pty; the live path would read back as drift
        serials: [{ target: { port: 0 } }],
        consoles: [{ target: { type: "serial", port: 0 } }],
        // no mode: libvirt drops it from a stopped domain's XML, and 0.9.7 would report a running: false
        // domain as inconsistent after create (and taint it); libvirt binds the socket itself
        channels: guestAgent ? [{ source: { unix: {} }, target: { virtIo: { name: "org.qemu.guest_agent.0" } } }] : undefined,
        filesystems: shares.length > 0 ? shares.map(filesystemDevice) : undefined,
        tpms: props.tpm ? [tpmDevice(this.arch)] : undefined,
        hostdevs: props.hostDevices?.length ? props.hostDevices.map((device) => device._render()) : undefined,
        graphics: props.graphics && [
          props.graphics.protocol === "vnc"
            ? { vnc: { autoPort: true, listen: literal(props.graphics.listen) } }
            : { spice: { autoPort: true, listen: literal(props.graphics.listen) } },
        ],
      },
      update: { shutdown: { timeout: shutdownTimeout } },
      destroy: { shutdown: { timeout: shutdownTimeout } },
    });
    nameElement(domain, this);
    importExisting(domain, props.importUuid);

    const addresses = new DataLibvirtDomainInterfaceAddresses(this, "Addresses", {
      provider: this.host._provider,
      domain: domain.uuid,
      source: this.addressSource(),
    });
    const addressesName = nameElement(addresses, this);
    const value = this.outputValue(domain, addressesName);
    const output = new TerraformOutput(this, "Output", {
      description: `name and addresses of VM ${this.name}`,
      // one token, not an object: cdktf 0.21 inspects an object value with util.isArray, which Node 22
      // reports as deprecated (DEP0044) on every synth
      value: Lazy.anyValue({ produce: () => value }),
    });
    nameElement(output, this);
    return { seed, domain, addresses, addressesName, output };
  }

  /** Attaches a data disk; disks appear in the guest in the order they were added (vdb, vdc, ...). */
  public addDisk(disk: Volume): void {
    if (this.dataDisks.includes(disk) || disk === this.systemDisk) {
      throw new ValidationError(this.node.path, [{ field: "dataDisks", message: `${disk.node.path} is attached twice` }]);
    }
    if (this.dataDisks.length >= 24) throw new ValidationError(this.node.path, [{ field: "dataDisks", message: "at most 24 data disks (vdb-vdy)" }]);
    const foreign = hostUseProblem(this, disk, Volume, "disks");
    if (foreign) throw new ValidationError(this.node.path, [{ field: `dataDisks[${this.dataDisks.length}]`, message: foreign }]);
    this.dataDisks.push(disk);
    const declared = this.declared;
    if (declared) untraced(() => declared.domain.devices.putDisks(this.diskDevices(declared.seed)));
  }

  /** Adds a virtio NIC on `options.network`. */
  public addInterface(options: NetworkInterfaceOptions): void {
    const index = this.nics.length;
    const field = `interfaces[${index}]`;
    const foreign = hostUseProblem(this, options.network, BridgeNetwork, "networks");
    if (foreign) throw new ValidationError(this.node.path, [{ field: `${field}.network`, message: foreign }]);
    // host id, VM name and NIC index: not the stack, so renaming a stack keeps every MAC (and DHCP lease).
    // A given MAC is claimed now too, so that later derived MACs step around it
    const mac = options.mac?.toLowerCase() ?? this.host._derivedMac(this, `${this.host.node.id}/${this.name}/${index}`, `${field}.mac`);
    if (options.mac !== undefined) this.host._claim(this, "MAC", mac, `${field}.mac`);
    const lan = options.network.lan;
    const isStatic = (options.addresses?.length ?? 0) > 0;
    const nic: Nic = {
      ...options,
      mac,
      gateway4: options.gateway4 ?? (isStatic ? lan.gateway4 : undefined),
      gateway6: options.gateway6 ?? (isStatic ? lan.gateway6 : undefined),
      nameservers: options.nameservers ?? (isStatic ? lan.nameservers : undefined),
      searchDomains: options.searchDomains ?? (isStatic ? lan.searchDomains : undefined),
    };
    const problems = new Problems();
    const p = macProblem(mac);
    if (p) problems.add(`${field}.mac`, p);
    validateNic(problems, field, nic, options.network.subnets);
    if (!isStatic && !options.network.servesDhcp) {
      problems.add(
        field,
        `network ${options.network.node.path} serves no DHCP (a NAT network without dhcpRange), so this interface would get no address: give it addresses, or give the network a dhcpRange`,
      );
    }
    problems.throwIfAny(this);
    this.nics.push(nic);
    const declared = this.declared;
    if (declared) {
      untraced(() => {
        declared.domain.devices.putInterfaces(this.interfaceDevices());
        declared.seed?._setNics(this.nics);
        declared.addresses.source = this.addressSource();
        declared.output.value = this.outputValue(declared.domain, declared.addressesName);
      });
    }
  }

  /** System disk, data disks, then the cloud-init CD-ROM (when there is a seed), as the domain's disk devices. */
  private diskDevices(seed: CloudInit | undefined) {
    return [
      ...[this.systemDisk, ...this.dataDisks].map((disk, i) => ({
        source: { volume: { pool: disk.pool.poolName, volume: disk.volumeName } },
        target: { dev: `vd${String.fromCharCode(97 + i)}`, bus: "virtio" },
        driver: { type: disk.format },
      })),
      ...(seed
        ? [
            {
              device: "cdrom",
              source: { volume: { pool: seed.pool.poolName, volume: seed.volumeName } },
              // q35 has no IDE and virt no SATA; a CD-ROM cannot sit on virtio
              target: { dev: "sda", bus: this.arch === Architecture.AARCH64 ? "scsi" : "sata" },
            },
          ]
        : []),
    ];
  }

  /** Where the address lookup asks: the first NIC's network decides (the guest agent, or DHCP leases). */
  private addressSource(): string {
    return this.nics[0]?.network.addressSource ?? "any";
  }

  private outputValue(domain: Domain, addressesName: string) {
    const macs = this.nics.map((n) => n.mac);
    return {
      name: domain.name,
      macs,
      // agent results include lo and link-local noise, which comes and goes while a guest boots: keep the
      // routable addresses of our own NICs, so a booted guest's output stays the same from deploy to deploy
      addresses: `\${flatten([for i in data.libvirt_domain_interface_addresses.${addressesName}.interfaces : [for a in i.addrs : a.addr if !startswith(a.addr, "fe80:") && !startswith(a.addr, "169.254.")] if contains(${JSON.stringify(macs)}, i.hwaddr)])}`,
    };
  }

  private interfaceDevices() {
    return this.nics.map((nic) => ({
      source: nic.network._interfaceSource(),
      model: { type: "virtio" },
      mac: { address: nic.mac },
      ...(this.waitForAddress && { waitForIp: { timeout: 300, source: nic.network.addressSource } }),
    }));
  }

  /** The static addresses of this VM's NICs. */
  public get staticAddresses(): string[] {
    return this.nics.flatMap((nic) => nic.addresses ?? []);
  }

  public get macAddresses(): string[] {
    return this.nics.map((nic) => nic.mac);
  }

  /** Claims `value` on the host; says who had it first, when someone did. */
  private claim(kind: string, value: string, field: string): string | undefined {
    const earlier = this.host._claim(this, kind, value, field);
    return earlier && `${kind} "${value}" is already used by ${earlier}`;
  }

  private validateUniqueness(): string[] {
    // NICs and disks can be added after construction, so they are claimed when the tree is complete;
    // addInterface has refused malformed addresses, so every one parses here
    const claims: Claim[] = [
      ...this.nics.flatMap((nic, i) => [
        ["MAC", nic.mac, `interfaces[${i}].mac`] as Claim,
        ...(nic.addresses ?? []).map((text, a) => ["IP address", hostKey(parseAddress(text)), `interfaces[${i}].addresses[${a}]`] as Claim),
      ]),
      // a volume attached to two VMs would be written to by both
      ["disk", this.systemDisk.node.path, "systemDisk"],
      ...this.dataDisks.map((disk, i) => ["disk", disk.node.path, `dataDisks[${i}]`] as Claim),
      // a device passed through is the guest's alone
      ...this.hostDevices.map((device, i) => ["host device", device.key, `hostDevices[${i}]`] as Claim),
    ];
    return claims.flatMap(([kind, value, field]) => {
      const duplicate = this.claim(kind, value, field);
      return duplicate ? [`${field}: ${duplicate}`] : [];
    });
  }
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

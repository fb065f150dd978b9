import { z } from "zod";
import { DEFAULT_URI, HOST_LABEL, Size, VM_DEFAULTS } from "cdktf-libvirt";

// The spec describes stacks as data, for Nix and other non-TypeScript callers. Every collection is keyed
// by name, so that Nix attribute sets (`vms.testvm = { ... }`) map onto it one to one.
//
// This is the one definition of every spec key: its type, its documentation and, through the construct
// library's constants, its default. The JSON Schema (schemas/spec.schema.json) and the NixOS module's
// options (nix/options.nix) are generated from it (npm run spec-schema), and tests fail when either is
// stale. `nix` metadata says what the Nix side accepts beyond the JSON (a store path for a file).

const label = z.string().regex(HOST_LABEL, "must be an RFC 1123 label: lowercase letters, digits, inner hyphens, 1-63 characters");
const size = z
  .string()
  .regex(Size.PATTERN, 'must be a size with a binary unit, e.g. "2048 MiB" or "100 GiB"')
  .describe('A size with its unit: B, KiB, MiB, GiB or TiB, e.g. "2048 MiB"');
const removalPolicy = (what: string) =>
  z
    .enum(["retain", "destroy"])
    .describe(`What happens to ${what} when it leaves the configuration: retain (the default; it is kept, and a plan that would replace it fails) or destroy`);
const secretRef = z
  .strictObject({
    secret: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, "must be lowercase letters, digits and _")
      .describe("Name of a secret (the NixOS module's secrets.<name>); its value becomes the sensitive Terraform variable of that name, TF_VAR_<name>"),
  })
  .describe("A secret, set at apply time as TF_VAR_<secret>: the value is never in the configuration");

const importUuid = (what: string, command: string, then: string) =>
  z
    .string()
    .optional()
    .describe(`Adopt the existing ${what} with this UUID (${command} prints it) instead of creating one: the first deploy imports it, ${then}; default: a new one is created`);
const volumeFormat = z.enum(["qcow2", "raw"]);

const lan = {
  subnets: z.array(z.string()).optional().describe("Subnets (CIDR) that static addresses on this network must lie in"),
  gateway4: z.string().optional().describe("Default IPv4 gateway of VMs with static addresses"),
  gateway6: z.string().optional().describe("Default IPv6 gateway of VMs with static addresses"),
  nameservers: z.array(z.string()).optional().describe("DNS servers of VMs with static addresses"),
  searchDomains: z.array(z.string()).optional().describe("DNS search domains of VMs with static addresses"),
};
const networkName = z.string().optional().describe("libvirt name of the network; default: its key");

const network = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("host-bridge").describe("Attach VMs to an existing host bridge (no libvirt network)"),
      bridge: z.string().describe("The host bridge, e.g. br0"),
      ...lan,
    }),
    z.strictObject({
      type: z.literal("bridge").describe("A libvirt network in bridge forward mode over a host bridge"),
      bridge: z.string().describe("The host bridge, e.g. br0"),
      name: networkName,
      importUuid: importUuid("libvirt network", "virsh net-uuid <name>", "so declare it as it is: provider 0.9.7 changes only an adopted network's autostart"),
      ...lan,
    }),
    z.strictObject({
      type: z.literal("nat").describe("A libvirt NAT network with its own bridge and, with dhcpRange, DHCP"),
      subnet: z.string().describe('The lab subnet (CIDR), e.g. "10.10.10.0/24"; the host takes its first address'),
      dhcpRange: z
        .strictObject({ start: z.string().describe("First address handed out"), end: z.string().describe("Last address handed out") })
        .optional()
        .describe("Addresses libvirt's DHCP hands out; without one, every VM on the network needs static addresses"),
      domain: z.string().optional().describe("DNS domain of the guests"),
      bridge: z.string().optional().describe("Name of the bridge libvirt creates; default: chosen by libvirt (virbrN)"),
      name: networkName,
      importUuid: importUuid("libvirt network", "virsh net-uuid <name>", "so declare it as it is: provider 0.9.7 changes only an adopted network's autostart"),
    }),
  ])
  .describe("A network VMs attach to; type says which kind, and so which other keys apply");

const cloudInit = z
  .strictObject({
    users: z
      .array(
        z.strictObject({
          name: z.string().describe("User name"),
          sshAuthorizedKeys: z.array(z.string()).optional().describe('Public keys, one per entry ("ssh-ed25519 AAAA... you@laptop")'),
          passwordHash: z
            .union([z.string(), secretRef], { error: 'must be a crypt(3) hash string or { "secret": "<name>" }' })
            .optional()
            .describe("A crypt(3) hash ($6$..., $y$...), or a secret holding one; never a plain password. A hash written here ends up in the configuration (and the Nix store): prefer a secret"),
          sudo: z.boolean().optional().describe("Passwordless sudo; default false"),
          groups: z.array(z.string()).optional().describe("Supplementary groups"),
          shell: z.string().optional().describe("Login shell; default: the image's"),
        }),
      )
      .optional()
      .describe("Users created on first boot; default: the image's default user only"),
    packages: z.array(z.string()).optional().describe("Packages installed on first boot"),
    runcmd: z
      .array(z.union([z.string(), z.array(z.string())], { error: "must be a shell command string or an argv list of strings" }))
      .optional()
      .describe("Commands run once on first boot: a string for the shell, or an argv list"),
    timezone: z.string().optional().describe("An IANA zone such as Europe/Berlin; default: the image's (usually UTC)"),
    fqdn: z.string().optional().describe("Fully qualified name; it must start with the VM's hostname"),
    applyOnChange: z
      .boolean()
      .optional()
      .describe(
        "Default false: an existing guest keeps its first-boot configuration when this one changes. true: a change makes the next cold start (shut down, then started) a new cloud-init instance, which runs every first-boot step again, new SSH host keys included",
      ),
  })
  .describe("User-data on top of the hostname and network configuration, which are always rendered");

const firmware = z
  .union([
    z.enum(["bios", "uefi"]),
    z.strictObject({
      uefi: z
        .strictObject({
          loader: z.string().optional().describe("Read-only firmware code; default the applying host's, TF_VAR_libvirt_uefi_loader (on NixOS services.cdktf-libvirt.uefi.loader)"),
          nvramTemplate: z.string().optional().describe("The variable store each VM's NVRAM is copied from; default the applying host's, TF_VAR_libvirt_uefi_nvram_template (on NixOS services.cdktf-libvirt.uefi.nvramTemplate)"),
          nvramDir: z.string().optional().describe("Directory of the per-VM NVRAM files; default /var/lib/libvirt/qemu/nvram"),
          secureBoot: z
            .boolean()
            .optional()
            .describe(
              "Secure boot (x86_64): secure-boot firmware with SMM and Microsoft's keys enrolled; without loader and nvramTemplate, the applying host's TF_VAR_libvirt_uefi_secure_loader and TF_VAR_libvirt_uefi_secure_nvram_template (on NixOS services.cdktf-libvirt.uefi.secureLoader, .secureNvramTemplate); default false",
            ),
        })
        .describe("UEFI with explicit firmware paths, or secure boot"),
    }),
  ], { error: 'must be "bios", "uefi" or { "uefi": { "loader", "nvramTemplate", "nvramDir" } }' })
  .describe('"bios" (the default on x86_64), "uefi" (OVMF, the applying host\'s files; the default on aarch64), or { uefi: { loader, nvramTemplate, nvramDir, secureBoot } }');

const cpu = z
  .union([
    z.enum(["host-passthrough", "host-model"]),
    z.strictObject({ model: z.string().describe('A CPU model QEMU knows by name, e.g. "Skylake-Client" or "qemu64"') }),
  ], { error: 'must be "host-passthrough", "host-model" or { "model": "<name>" }' })
  .describe('"host-passthrough" (the default with kvm), "host-model" (kvm only), or { model: "..." }; with domainType qemu: a named model, or QEMU\'s default');

const pool = z
  .string()
  .optional()
  .describe('Key of an entry in pools, or the name of an existing pool (such as "default")');

const machine = {
  image: z.string().describe("Key of an entry in images: the system disk is a copy-on-write overlay of it"),
  memory: size.optional().describe(`Memory; default "${VM_DEFAULTS.memory}"`),
  vcpus: z.number().int().positive().optional().describe(`Virtual CPUs; default ${VM_DEFAULTS.vcpus}`),
  domainType: z.enum(["kvm", "qemu"]).optional().describe('"kvm" (the default), or "qemu": software emulation (TCG) on hosts without /dev/kvm'),
  cpu: cpu.optional(),
  arch: z.enum(["x86_64", "aarch64"]).optional().describe('Guest architecture; default "x86_64" (on NixOS the host\'s, services.cdktf-libvirt.defaultArch)'),
  machine: z.string().optional().describe('QEMU machine type; default "q35" on x86_64, "virt" on aarch64'),
  systemDiskSize: size.optional().describe(`Size of the system disk; default "${VM_DEFAULTS.systemDiskSize}"`),
  systemDiskRemovalPolicy: removalPolicy("the system disk").optional(),
  pool: pool.describe("Pool of the system disk and the cloud-init seed; default: the image's pool"),
  cloudInit: cloudInit.optional(),
  autostart: z.boolean().optional().describe(`Start with the host; default ${VM_DEFAULTS.autostart}`),
  running: z.boolean().optional().describe(`Keep the VM running; default ${VM_DEFAULTS.running}`),
  firmware: firmware.optional(),
  graphics: z.enum(["none", "vnc", "spice"]).optional().describe('Graphical console; default "none" (the serial console only)'),
  shutdownTimeoutSeconds: z
    .number()
    .int()
    .positive()
    .optional()
    .describe(`Seconds to wait for a clean shutdown before an update forces the VM off, and before a deletion fails; default ${VM_DEFAULTS.shutdownTimeoutSeconds}`),
  guestAgent: z.boolean().optional().describe(`A qemu-guest-agent channel (and the package); the agent reports addresses; default ${VM_DEFAULTS.guestAgent}`),
  waitForAddress: z.boolean().optional().describe(`Make apply wait until the guest reports an address; default ${VM_DEFAULTS.waitForAddress}`),
  shares: z
    .array(
      z.strictObject({
        hostPath: z.string().describe("Absolute path of the directory on the hypervisor"),
        tag: z.string().describe("The name the guest mounts it by: letters, digits, ., _, -, at most 36"),
        driver: z
          .enum(["virtiofs", "9p"])
          .optional()
          .describe('"virtiofs" (the default; libvirt runs virtiofsd, on NixOS virtualisation.libvirtd.qemu.vhostUserPackages = [ pkgs.virtiofsd ]) or "9p" (built into QEMU, slower)'),
        readOnly: z.boolean().optional().describe("The guest cannot write to it; default false (9p only on libvirt before 11)"),
        mountPoint: z.string().optional().describe("Where cloud-init mounts it on first boot (fstab, nofail); default: not mounted"),
      }),
    )
    .optional()
    .describe("Host directories the guest mounts"),
  tpm: z.boolean().optional().describe("A TPM 2.0 emulated by swtpm (on NixOS virtualisation.libvirtd.qemu.swtpm.enable); default false"),
  hugePages: size.optional().describe('Back memory with huge pages of this size ("2 MiB" or "1 GiB" on x86_64), reserved on the host; default: ordinary pages'),
  cpuPinning: z
    .strictObject({
      vcpus: z.array(z.string()).optional().describe('Host CPUs per vCPU, in vCPU order, as libvirt cpusets ("2", "2-3", "0-7,^4")'),
      emulator: z.string().optional().describe("Host CPUs of QEMU's emulator threads"),
    })
    .optional()
    .describe("Pin vCPUs and the emulator threads to host CPUs; default: none pinned"),
  numa: z
    .strictObject({
      nodeset: z.string().describe('Host NUMA nodes ("0", "0-1")'),
      mode: z.enum(["strict", "preferred", "interleave", "restrictive"]).optional().describe('default "strict"'),
    })
    .optional()
    .describe("Place guest memory on host NUMA nodes; default: wherever the kernel puts it"),
  hostDevices: z
    .array(
      z
        .strictObject({
          pci: z.string().optional().describe('PCI address as lspci -D prints it, e.g. "0000:01:00.0"; libvirt binds it to vfio-pci while the VM runs'),
          usb: z
            .strictObject({ vendor: z.string().describe('Vendor id as lsusb prints it, e.g. "046d"'), product: z.string().describe('Product id, e.g. "c52b"') })
            .optional()
            .describe("A USB device by vendor and product id"),
        })
        .refine((device) => (device.pci === undefined) !== (device.usb === undefined), "give either pci or usb"),
    )
    .optional()
    .describe("Host PCI and USB devices handed to the guest whole; default none"),
};

const existingPath = z.string().describe("Path of the existing volume, as virsh vol-path --pool <pool> <name> prints it; it is attached, never created or deleted");

const vm = z
  .strictObject({
    ...machine,
    image: machine.image.optional().describe("Key of an entry in images: the system disk is a copy-on-write overlay of it; or give systemDisk"),
    systemDisk: z
      .strictObject({
        path: existingPath,
        pool: pool.describe('Pool the volume is in; default: the pool named "default"'),
        format: volumeFormat.optional().describe('Its format; default "qcow2"'),
      })
      .optional()
      .describe("An existing volume the VM boots from, instead of image: for a VM adopted with importUuid"),
    importUuid: importUuid("domain", "virsh domuuid <name>", "then updates it to this configuration, keeping its UUID; give its disks as systemDisk and dataDisks paths and its MACs"),
    hostname: z.string().optional().describe("Guest hostname (an RFC 1123 label); default: the VM's key"),
    dataDisks: z
      .record(
        label,
        z
          .strictObject({
            size: size.optional().describe("Size of a new blank disk"),
            path: existingPath.optional(),
            format: volumeFormat.optional().describe('Format of an existing volume; default "qcow2"'),
            pool: pool.describe("Pool of the disk; default: the system disk's"),
            removalPolicy: removalPolicy("the disk").optional(),
          })
          .refine((disk) => (disk.size === undefined) !== (disk.path === undefined), "give either size (a new blank disk) or path (an existing volume)"),
      )
      .optional()
      .describe("Data disks, attached as vdb, vdc, ... in key order: blank ones named <vm>-<key>.qcow2, or existing volumes by path"),
    interfaces: z
      .array(
        z.strictObject({
          network: z.string().describe("Key of an entry in networks"),
          mac: z.string().optional().describe("MAC address; default: derived from the host, VM and NIC index, stable across rebuilds"),
          addresses: z.array(z.string()).optional().describe('Static addresses with prefix ("192.168.1.50/24"); default DHCP'),
          gateway4: z.string().optional().describe("IPv4 gateway; default: the network's"),
          gateway6: z.string().optional().describe("IPv6 gateway; default: the network's"),
          nameservers: z.array(z.string()).optional().describe("DNS servers; default: the network's"),
          searchDomains: z.array(z.string()).optional().describe("Search domains; default: the network's"),
        }),
      )
      .optional()
      .describe("Network interfaces, in order"),
  })
  .describe("A virtual machine");

const group = z
  .strictObject({
    ...machine,
    count: z.number().int().positive().describe("How many identical VMs"),
    hostnamePrefix: z.string().describe("VMs are named <prefix>-1, <prefix>-2, ..."),
    dataDisks: z
      .record(label, z.strictObject({ size: size.describe("Disk size"), removalPolicy: removalPolicy("the disk").optional() }))
      .optional()
      .describe("Blank disks every VM of the group gets its own copy of"),
    interfaces: z
      .array(
        z.strictObject({
          network: z.string().describe("Key of an entry in networks"),
          addressRange: z
            .strictObject({
              start: z.string().describe("Address (with prefix) of the first VM"),
              end: z.string().optional().describe("Last address the group may use"),
            })
            .optional()
            .describe("Consecutive static addresses for the group's VMs; default DHCP"),
          macBase: z
            .string()
            .optional()
            .describe("MAC of the first VM's interface; each next VM's is one more (52:54:00:10:00:00, 52:54:00:10:00:01, ...); default: derived per VM, stable across rebuilds"),
          gateway4: z.string().optional().describe("IPv4 gateway; default: the network's"),
          gateway6: z.string().optional().describe("IPv6 gateway; default: the network's"),
        }),
      )
      .optional()
      .describe("Network interfaces of every VM of the group"),
  })
  .describe("N identical VMs named from a prefix");

const host = z
  .strictObject({
    uri: z
      .string()
      .optional()
      .describe(`libvirt connection URI; default "${DEFAULT_URI}". A URI without a host uses the local libvirtd, through its socket`),
    pools: z
      .record(
        label,
        z.strictObject({
          path: z.string().describe("Directory of the dir storage pool"),
          name: z.string().optional().describe("libvirt name of the pool; default: its key"),
          removalPolicy: removalPolicy("the pool").optional(),
        }),
      )
      .optional()
      .describe("Storage pools (dir type) the stack creates"),
    images: z
      .record(
        z.string(),
        z.strictObject({
          source: z
            .string()
            .meta({ nix: "path" })
            .describe("Where the base image comes from: an http(s) URL, a file:/// URL or an absolute path, read by the machine that applies (the NixOS unit's user)"),
          pool: pool.describe('Pool the image is uploaded into; default: the pool named "default"'),
          name: z.string().optional().describe("Volume name; default: <key>.qcow2 (or .raw). Version it: the provider cannot update a volume"),
          format: volumeFormat.optional().describe('Image format; default "qcow2"'),
          virtualSize: size.optional().describe("The image's virtual size, when known: system disks must not be smaller"),
          removalPolicy: removalPolicy("the image (the system disks made from it need it)").optional(),
        }),
      )
      .optional()
      .describe("Base images, uploaded into a pool once; VMs' system disks are overlays of them"),
    networks: z.record(z.string(), network).optional().describe("Networks VMs attach to, by key"),
    vms: z.record(label, vm).optional().describe("Virtual machines, by name (an RFC 1123 label)"),
    groups: z.record(label, group).optional().describe("Groups of identical VMs"),
  })
  .describe("One libvirt host and what the stack declares on it");

const backend = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("local").describe("terraform.tfstate under deploy's --state-dir (the default)") }),
    z.strictObject({
      type: z.literal("pg").describe("PostgreSQL (Terraform's pg backend, locked); the connection string comes from PG_CONN_STR at apply time, never from here"),
      schemaName: z.string().optional().describe('The schema holding the state; default "terraform_remote_state"'),
    }),
    z.strictObject({
      type: z.literal("s3").describe("S3 or an S3-compatible store, locked by a lock file; credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY at apply time"),
      bucket: z.string().describe("The bucket"),
      key: z.string().describe('The object holding the state, e.g. "hypervisors/web.tfstate"'),
      region: z.string().optional().describe('default "us-east-1"'),
      endpoint: z.string().optional().describe("An S3-compatible store's URL (MinIO, Garage); default AWS"),
    }),
  ])
  .describe("Where the stack's state lives; default local");

/** The schema of a stack's backend: the NixOS module's `backend` option mirrors it. */
export const backendSchema = backend;

export const specSchema = z
  .strictObject({
    $schema: z.string().optional(),
    stacks: z.record(label, z.strictObject({ hosts: z.record(label, host), backend: backend.optional() })),
  })
  .describe("Stacks of libvirt hosts, VMs, networks, pools and images for cdktf-libvirt");

/** The schema of one host's entry: what the NixOS module's options mirror. */
export const hostSchema = host;

export type Spec = z.infer<typeof specSchema>;
export type HostSpec = z.infer<typeof host>;
export type BackendSpec = z.infer<typeof backend>;
export type VmSpec = z.infer<typeof vm>;
export type GroupSpec = z.infer<typeof group>;

import { z } from "zod";

// The spec describes stacks as data, for Nix and other non-TypeScript callers. Every collection is keyed
// by name, so that Nix attribute sets (`vms.testvm = { ... }`) map onto it one to one.

const label = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be an RFC 1123 label: lowercase letters, digits, inner hyphens, 1-63 characters");
const size = z
  .string()
  .regex(/^\s*\d+(\.\d+)?\s*(B|KiB|MiB|GiB|TiB)\s*$/, 'must be a size with a binary unit, e.g. "2048 MiB" or "100 GiB"')
  .describe('A size with its unit: B, KiB, MiB, GiB or TiB, e.g. "2048 MiB"');
const removalPolicy = z.enum(["retain", "destroy"]).describe("retain (default): a plan that deletes or replaces it fails; destroy: it may be deleted");
const secretRef = z.strictObject({ secret: z.string().regex(/^[a-z][a-z0-9_]*$/, "must be lowercase letters, digits and _") }).describe("A sensitive Terraform variable, set at apply time as TF_VAR_<secret>");

const lan = {
  subnets: z.array(z.string()).optional().describe("Subnets (CIDR) that static addresses must lie in"),
  gateway4: z.string().optional(),
  gateway6: z.string().optional(),
  nameservers: z.array(z.string()).optional(),
  searchDomains: z.array(z.string()).optional(),
};

const network = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("host-bridge").describe("Attach VMs to an existing host bridge (no libvirt network)"), bridge: z.string(), ...lan }),
  z.strictObject({ type: z.literal("bridge").describe("A libvirt network in bridge forward mode over a host bridge"), bridge: z.string(), name: z.string().optional(), ...lan }),
  z.strictObject({
    type: z.literal("nat").describe("A libvirt NAT network with its own bridge and DHCP"),
    subnet: z.string(),
    dhcpRange: z.strictObject({ start: z.string(), end: z.string() }).optional(),
    domain: z.string().optional(),
    bridge: z.string().optional(),
    name: z.string().optional(),
  }),
]);

const cloudInit = z.strictObject({
  users: z
    .array(
      z.strictObject({
        name: z.string(),
        sshAuthorizedKeys: z.array(z.string()).optional(),
        passwordHash: z.union([z.string(), secretRef]).optional().describe("A crypt(3) hash, or a secret holding one; never a plain password"),
        sudo: z.boolean().optional(),
        groups: z.array(z.string()).optional(),
        shell: z.string().optional(),
      }),
    )
    .optional(),
  packages: z.array(z.string()).optional(),
  runcmd: z.array(z.union([z.string(), z.array(z.string())])).optional(),
  timezone: z.string().optional(),
  fqdn: z.string().optional(),
  applyOnChange: z
    .boolean()
    .optional()
    .describe("Default false: a guest keeps its first-boot configuration. true: a changed configuration makes the next cold start a new cloud-init instance (it all runs again, new SSH host keys too)"),
});

const firmware = z.union([
  z.enum(["bios", "uefi"]),
  z.strictObject({
    uefi: z.strictObject({ loader: z.string().optional(), nvramTemplate: z.string().optional(), nvramDir: z.string().optional() }),
  }),
]);

const cpu = z.union([
  z.enum(["host-passthrough", "host-model"]),
  z.strictObject({ model: z.string().describe('A model QEMU knows by name, e.g. "Skylake-Client" or "qemu64"') }),
]);

const machine = {
  memory: size.optional().describe('Default "2048 MiB"'),
  vcpus: z.number().optional().describe("Default 1"),
  domainType: z.enum(["kvm", "qemu"]).optional().describe('Default "kvm"; "qemu" emulates the guest (TCG) on hosts without /dev/kvm'),
  cpu: cpu.optional().describe('Default "host-passthrough" with kvm, QEMU\'s default model with qemu'),
  arch: z.enum(["x86_64", "aarch64"]).optional().describe('Default "x86_64"'),
  machine: z.string().optional().describe('QEMU machine type; default "q35" on x86_64, "virt" on aarch64'),
  image: z.string().describe("Key of an entry in images: the system disk is a copy-on-write overlay of it"),
  systemDiskSize: size.optional().describe('Default "20 GiB"'),
  systemDiskRemovalPolicy: removalPolicy.optional(),
  pool: z.string().optional().describe("Key of an entry in pools, or the name of an existing pool; default: the image's pool"),
  cloudInit: cloudInit.optional(),
  autostart: z.boolean().optional().describe("Default true"),
  running: z.boolean().optional().describe("Default true"),
  firmware: firmware.optional().describe('Default "bios"'),
  graphics: z.enum(["none", "vnc", "spice"]).optional().describe('Default "none"'),
  shutdownTimeoutSeconds: z.number().optional().describe("Default 120"),
  guestAgent: z.boolean().optional().describe("Default true"),
  waitForAddress: z.boolean().optional().describe("Default false"),
};

const dataDisk = z.strictObject({ size, pool: z.string().optional(), removalPolicy: removalPolicy.optional() });

const vm = z.strictObject({
  ...machine,
  hostname: z.string().optional(),
  dataDisks: z.record(label, dataDisk).optional().describe("Blank disks, attached as vdb, vdc, ... in key order"),
  interfaces: z
    .array(
      z.strictObject({
        network: z.string().describe("Key of an entry in networks"),
        mac: z.string().optional(),
        addresses: z.array(z.string()).optional().describe("Static addresses with prefix; default DHCP"),
        gateway4: z.string().optional(),
        gateway6: z.string().optional(),
        nameservers: z.array(z.string()).optional(),
        searchDomains: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

const group = z.strictObject({
  ...machine,
  count: z.number(),
  hostnamePrefix: z.string(),
  dataDisks: z.record(label, z.strictObject({ size, removalPolicy: removalPolicy.optional() })).optional(),
  interfaces: z
    .array(
      z.strictObject({
        network: z.string(),
        addressRange: z.strictObject({ start: z.string(), end: z.string().optional() }).optional(),
        gateway4: z.string().optional(),
        gateway6: z.string().optional(),
      }),
    )
    .optional(),
});

const host = z.strictObject({
  uri: z.string().optional().describe('Default "qemu:///system"'),
  pools: z.record(label, z.strictObject({ path: z.string(), name: z.string().optional(), removalPolicy: removalPolicy.optional() })).optional(),
  images: z
    .record(
      z.string(),
      z.strictObject({
        source: z.string().describe("http(s) URL, file:/// URL or absolute path, read by the machine running Terraform"),
        pool: z.string().optional(),
        name: z.string().optional(),
        format: z.enum(["qcow2", "raw"]).optional(),
        virtualSize: size.optional(),
        removalPolicy: removalPolicy.optional(),
      }),
    )
    .optional(),
  networks: z.record(z.string(), network).optional(),
  vms: z.record(label, vm).optional(),
  groups: z.record(label, group).optional(),
});

export const specSchema = z
  .strictObject({
    $schema: z.string().optional(),
    stacks: z.record(label, z.strictObject({ hosts: z.record(label, host) })),
  })
  .describe("Stacks of libvirt hosts, VMs, networks, pools and images for cdktf-libvirt");

export type Spec = z.infer<typeof specSchema>;
export type HostSpec = z.infer<typeof host>;
export type VmSpec = z.infer<typeof vm>;
export type GroupSpec = z.infer<typeof group>;

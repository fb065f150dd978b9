import { App } from "cdktf";
import {
  BaseImage,
  BridgeNetwork,
  Architecture,
  CloudInitOptions,
  CpuModel,
  DomainType,
  Firmware,
  Graphics,
  HostDevice,
  IStoragePool,
  LibvirtHost,
  LibvirtStack,
  NumaMode,
  RemovalPolicy,
  Secret,
  ShareDriver,
  Size,
  StateBackend,
  StoragePool,
  VirtualMachine,
  VirtualMachineGroup,
  Volume,
  VolumeFormat,
} from "cdktf-libvirt";
import { constructIdProblems, idProblem } from "./construct-ids";
import { SpecError } from "./load";
import { BackendSpec, GroupSpec, HostSpec, Spec, VmSpec } from "./schema";

/** Builds one TerraformStack per spec stack. Unknown references (an image key that is not there) are spec errors. */
export function buildStacks(app: App, spec: Spec): LibvirtStack[] {
  refuse(constructIdProblems(app, Object.keys(spec.stacks).map((key) => ({ key, path: `stacks.${key}` }))));
  return Object.entries(spec.stacks).map(([stackName, stackSpec]) => {
    const stack = new LibvirtStack(app, stackName, { backend: stateBackend(stackSpec.backend) });
    refuse(constructIdProblems(stack, Object.keys(stackSpec.hosts).map((key) => ({ key, path: `stacks.${stackName}.hosts.${key}` }))));
    for (const [hostName, hostSpec] of Object.entries(stackSpec.hosts)) {
      buildHost(stack, hostName, hostSpec, `stacks.${stackName}.hosts.${hostName}`);
    }
    return stack;
  });
}

function buildHost(stack: LibvirtStack, name: string, spec: HostSpec, path: string): LibvirtHost {
  const host = new LibvirtHost(stack, name, { uri: spec.uri });
  const collections = ["pools", "images", "networks", "vms", "groups"] as const;
  const errors: string[] = constructIdProblems(
    host,
    collections.flatMap((collection) => Object.keys(spec[collection] ?? {}).map((key) => ({ key, path: `${path}.${collection}.${key}` }))),
  );
  for (const collection of ["vms", "groups"] as const) {
    for (const [key, vm] of Object.entries(spec[collection] ?? {})) {
      for (const disk of Object.keys(vm.dataDisks ?? {})) {
        const problem = idProblem(undefined, disk);
        if (problem) errors.push(`${path}.${collection}.${key}.dataDisks.${disk}: ${problem}`);
      }
    }
  }
  refuse(errors);
  const lookup = <T>(table: Map<string, T>, key: string, field: string, what: string): T | undefined => {
    const found = table.get(key);
    if (!found) errors.push(`${field}: no ${what} "${key}" (declared: ${[...table.keys()].join(", ") || "none"})`);
    return found;
  };

  const pools = new Map<string, IStoragePool>();
  for (const [key, pool] of Object.entries(spec.pools ?? {})) {
    pools.set(key, new StoragePool(host, key, { name: pool.name, path: pool.path, removalPolicy: policy(pool.removalPolicy) }));
  }
  // a pool name that is not declared here is an existing pool on the host, such as "default"
  const pool = (key: string | undefined) => (key === undefined ? undefined : pools.get(key) ?? StoragePool.fromName(host, `Pool-${key}`, key));

  const images = new Map<string, BaseImage>();
  for (const [key, image] of Object.entries(spec.images ?? {})) {
    images.set(
      key,
      new BaseImage(host, key, {
        source: image.source,
        pool: pool(image.pool),
        name: image.name,
        format: image.format as VolumeFormat | undefined,
        virtualSize: size(image.virtualSize, `${path}.images.${key}.virtualSize`),
        removalPolicy: policy(image.removalPolicy),
      }),
    );
  }

  const networks = new Map<string, BridgeNetwork>();
  for (const [key, net] of Object.entries(spec.networks ?? {})) {
    const { type, ...options } = net;
    networks.set(
      key,
      type === "host-bridge"
        ? BridgeNetwork.fromHostBridge(host, key, options as Parameters<typeof BridgeNetwork.fromHostBridge>[2])
        : type === "bridge"
          ? BridgeNetwork.bridged(host, key, options as Parameters<typeof BridgeNetwork.bridged>[2])
          : BridgeNetwork.nat(host, key, options as Parameters<typeof BridgeNetwork.nat>[2]),
    );
  }

  const machine = (vm: VmSpec | GroupSpec, field: string) => ({
    memory: size(vm.memory, `${field}.memory`),
    vcpus: vm.vcpus,
    domainType: vm.domainType as DomainType | undefined,
    cpu: cpuModel(vm.cpu),
    arch: vm.arch as Architecture | undefined,
    machine: vm.machine,
    image: vm.image === undefined ? undefined : lookup(images, vm.image, `${field}.image`, "image"),
    systemDiskSize: size(vm.systemDiskSize, `${field}.systemDiskSize`),
    systemDiskRemovalPolicy: policy(vm.systemDiskRemovalPolicy),
    pool: pool(vm.pool),
    cloudInit: vm.cloudInit && cloudInitOptions(host, vm.cloudInit),
    autostart: vm.autostart,
    running: vm.running,
    firmware: firmware(vm.firmware),
    graphics: vm.graphics === "vnc" ? Graphics.vnc() : vm.graphics === "spice" ? Graphics.spice() : undefined,
    shutdownTimeoutSeconds: vm.shutdownTimeoutSeconds,
    guestAgent: vm.guestAgent,
    waitForAddress: vm.waitForAddress,
    shares: vm.shares?.map((share) => ({ ...share, driver: share.driver as ShareDriver | undefined })),
    tpm: vm.tpm,
    hugePages: size(vm.hugePages, `${field}.hugePages`),
    cpuPinning: vm.cpuPinning,
    numa: vm.numa && { ...vm.numa, mode: vm.numa.mode as NumaMode | undefined },
    hostDevices: vm.hostDevices?.map((device) => (device.usb ? HostDevice.usb(device.usb.vendor, device.usb.product) : HostDevice.pci(device.pci!))),
  });

  const vmFields = Object.entries(spec.vms ?? {}).map(([key, vm]) => {
    const field = `${path}.vms.${key}`;
    const props = machine(vm, field);
    const interfaces = (vm.interfaces ?? []).map((nic, i) => ({ ...nic, network: lookup(networks, nic.network, `${field}.interfaces[${i}].network`, "network")! }));
    return { key, vm, props, interfaces };
  });
  const groupFields = Object.entries(spec.groups ?? {}).map(([key, group]) => {
    const field = `${path}.groups.${key}`;
    const props = machine(group, field);
    const interfaces = (group.interfaces ?? []).map((nic, i) => ({ ...nic, network: lookup(networks, nic.network, `${field}.interfaces[${i}].network`, "network")! }));
    return { key, group, props, interfaces };
  });
  refuse(errors);

  for (const { key, vm, props, interfaces } of vmFields) {
    // "_" is in no spec key, so the id cannot meet another construct's
    const systemDisk = vm.systemDisk && Volume.existing(host, `${key}_system`, { ...vm.systemDisk, pool: pool(vm.systemDisk.pool), format: vm.systemDisk.format as VolumeFormat | undefined });
    const machineVm = new VirtualMachine(host, key, { ...props, hostname: vm.hostname, interfaces, systemDisk, importUuid: vm.importUuid });
    for (const [diskKey, disk] of Object.entries(vm.dataDisks ?? {})) {
      const diskPool = pool(disk.pool) ?? machineVm.systemDisk.pool;
      machineVm.addDisk(
        disk.path !== undefined
          ? Volume.existing(machineVm, diskKey, { path: disk.path, pool: diskPool, format: disk.format as VolumeFormat | undefined })
          : Volume.blank(machineVm, diskKey, {
              size: size(disk.size, `${path}.vms.${key}.dataDisks.${diskKey}.size`)!,
              pool: diskPool,
              name: `${key}-${diskKey}.qcow2`,
              removalPolicy: policy(disk.removalPolicy),
            }),
      );
    }
  }
  for (const { key, group, props, interfaces } of groupFields) {
    new VirtualMachineGroup(host, key, {
      ...props,
      count: group.count,
      hostnamePrefix: group.hostnamePrefix,
      interfaces,
      dataDisks: Object.entries(group.dataDisks ?? {}).map(([id, disk]) => ({
        id,
        size: size(disk.size, `${path}.groups.${key}.dataDisks.${id}.size`)!,
        removalPolicy: policy(disk.removalPolicy),
      })),
    });
  }
  return host;
}

/** Throws the problems found so far, each as `spec: path: message`. */
function refuse(errors: readonly string[]): void {
  if (errors.length > 0) throw new SpecError(errors.map((e) => `spec: ${e}`).join("\n"));
}

function stateBackend(spec: BackendSpec | undefined): StateBackend | undefined {
  if (spec === undefined) return undefined;
  switch (spec.type) {
    case "local":
      return StateBackend.local();
    case "pg":
      return StateBackend.pg({ schemaName: spec.schemaName });
    case "s3":
      return StateBackend.s3(spec);
  }
}

function size(text: string | undefined, field: string): Size | undefined {
  if (text === undefined) return undefined;
  try {
    return Size.parse(text);
  } catch (err) {
    throw new SpecError(`spec: ${field}: ${(err as Error).message}`);
  }
}

function policy(value: "retain" | "destroy" | undefined): RemovalPolicy | undefined {
  return value === undefined ? undefined : value === "retain" ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
}

function firmware(value: VmSpec["firmware"]): Firmware | undefined {
  if (value === undefined || value === "bios") return value && Firmware.bios();
  return value === "uefi" ? Firmware.uefi() : Firmware.uefi(value.uefi);
}

function cpuModel(value: VmSpec["cpu"]): CpuModel | undefined {
  if (value === undefined) return undefined;
  if (value === "host-passthrough") return CpuModel.hostPassthrough();
  return value === "host-model" ? CpuModel.hostModel() : CpuModel.named(value.model);
}

function cloudInitOptions(host: LibvirtHost, spec: NonNullable<VmSpec["cloudInit"]>): CloudInitOptions {
  return {
    ...spec,
    users: spec.users?.map((user) => ({
      ...user,
      passwordHash: typeof user.passwordHash === "object" ? Secret.fromVariable(host, user.passwordHash.secret) : user.passwordHash,
    })),
  };
}

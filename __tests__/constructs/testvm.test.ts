import { Testing } from "cdktf";
import { TestvmStack } from "../../examples/testvm";
import { resources, synthStack } from "../helpers/synth";

describe("the default stack (the seed's testvm)", () => {
  const { json, tf } = synthStack(new TestvmStack(Testing.app(), "testvm"));

  test("holds exactly one domain: testvm, 2048 MiB, 1 vCPU, autostart, running", () => {
    const domains = resources(tf, "libvirt_domain");
    expect(Object.keys(domains)).toEqual(["local_testvm"]);
    expect(domains.local_testvm).toMatchObject({
      name: "testvm",
      type: "kvm",
      memory: 2048,
      memory_unit: "MiB",
      vcpu: 1,
      autostart: true,
      running: true,
      provider: "libvirt.local",
    });
    expect(domains.local_testvm.os).toEqual({ type: "hvm", type_arch: "x86_64", type_machine: "q35", boot_devices: [{ dev: "hd" }] });
  });

  test("boots from a 100 GiB copy-on-write overlay of the base image, retained", () => {
    const volumes = resources(tf, "libvirt_volume");
    expect(volumes.local_testvm_SystemDisk).toEqual({
      name: "testvm-system.qcow2",
      pool: "default",
      provider: "libvirt.local",
      capacity: 100,
      capacity_unit: "GiB",
      target: { format: { type: "qcow2" } },
      backing_store: { path: "${libvirt_volume.local_debian-12.path}", format: { type: "qcow2" } },
      lifecycle: { prevent_destroy: true, ignore_changes: ["capacity", "capacity_unit", "backing_store"] },
    });
    expect(volumes["local_debian-12"]).toMatchObject({
      create: { content: { url: "/var/lib/libvirt/images/debian-12-genericcloud-amd64.qcow2" } },
      // the overlay needs its base image as long as it exists
      lifecycle: { prevent_destroy: true },
    });
    const disks = resources(tf, "libvirt_domain").local_testvm.devices.disks;
    expect(disks[0]).toEqual({
      source: { volume: { pool: "default", volume: "${libvirt_volume.local_testvm_SystemDisk.name}" } },
      target: { dev: "vda", bus: "virtio" },
      driver: { type: "qcow2" },
    });
  });

  test("has one virtio interface on host bridge br0 with a stable MAC, and DHCP in cloud-init", () => {
    const [nic, ...others] = resources(tf, "libvirt_domain").local_testvm.devices.interfaces;
    expect(others).toEqual([]);
    expect(nic).toEqual({ source: { bridge: { bridge: "br0" } }, model: { type: "virtio" }, mac: { address: "52:54:00:ef:fb:77" } });
    const seed = resources(tf, "libvirt_cloudinit_disk").local_testvm_CloudInit_seed;
    expect(seed.network_config).toBe(
      "version: 2\nethernets:\n  nic0:\n    match:\n      macaddress: 52:54:00:ef:fb:77\n    set-name: eth0\n    dhcp4: true\n",
    );
    expect(tf.resource).not.toHaveProperty("libvirt_network");
  });

  test("attaches the cloud-init seed as a SATA CD-ROM from a volume that a new seed replaces", () => {
    const disks = resources(tf, "libvirt_domain").local_testvm.devices.disks;
    expect(disks[1]).toEqual({
      device: "cdrom",
      source: { volume: { pool: "default", volume: "${libvirt_volume.local_testvm_CloudInit.name}" } },
      target: { dev: "sda", bus: "sata" },
    });
    expect(resources(tf, "libvirt_volume").local_testvm_CloudInit).toMatchObject({
      create: { content: { url: "${libvirt_cloudinit_disk.local_testvm_CloudInit_seed.path}" } },
      lifecycle: { replace_triggered_by: ["libvirt_cloudinit_disk.local_testvm_CloudInit_seed"] },
    });
  });

  test("outputs the VM's name and addresses from the interface-addresses data source", () => {
    expect(tf.data.libvirt_domain_interface_addresses.local_testvm).toMatchObject({ domain: "${libvirt_domain.local_testvm.uuid}", source: "agent" });
    expect(tf.output.local_testvm.value.name).toBe("${libvirt_domain.local_testvm.name}");
    expect(tf.output.local_testvm.value.addresses).toContain("data.libvirt_domain_interface_addresses.local_testvm.interfaces");
  });

  test("configures the provider for qemu:///system", () => {
    expect(tf.provider.libvirt).toEqual([{ alias: "local", uri: "qemu:///system" }]);
    // any 0.9 release from the one the bindings were generated from
    expect(tf.terraform.required_providers.libvirt).toEqual({ source: "dmacvicar/libvirt", version: ">= 0.9.7, < 0.10.0" });
  });

  test("reads the same through cdktf's Testing matchers", () => {
    // the matchers take a class with the Terraform type; tests do not import the generated bindings
    const type = (tfResourceType: string) => ({ tfResourceType }) as any;
    expect(json).toHaveResourceWithProperties(type("libvirt_domain"), { name: "testvm", memory: 2048, memory_unit: "MiB", vcpu: 1, running: true, autostart: true });
    expect(json).toHaveResourceWithProperties(type("libvirt_volume"), { name: "testvm-system.qcow2", capacity: 100, capacity_unit: "GiB" });
    expect(json).toHaveResourceWithProperties(type("libvirt_cloudinit_disk"), { name: "testvm-seed" });
    expect(json).toHaveDataSourceWithProperties(type("libvirt_domain_interface_addresses"), { source: "agent" });
    expect(json).toHaveProviderWithProperties(type("libvirt"), { uri: "qemu:///system" });
    expect(json).not.toHaveResource(type("libvirt_network"));
    expect(json).not.toHaveResource(type("libvirt_pool"));
  });

  test("matches the snapshot", () => {
    // the parsed document: cdktf and its fork cdktn print the same JSON a little differently
    expect(JSON.parse(json)).toMatchSnapshot();
  });
});

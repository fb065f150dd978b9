// What a user's own code reaches beyond the props: the underlying resources (for any provider field),
// attribute references for outputs, and resource types for cdktf's Testing matchers, none of them a
// generated type.
import { TerraformOutput, Testing } from "cdktf";
import { BaseImage, BridgeNetwork, LibvirtHost, LibvirtResourceTypes, LibvirtStack, Size, StoragePool, VirtualMachine, Volume } from "cdktf-libvirt";
import { resources, synthStack } from "../helpers/synth";

function stack() {
  const s = new LibvirtStack(Testing.app(), "test");
  const host = new LibvirtHost(s, "local");
  const pool = new StoragePool(host, "vmstore", { path: "/srv/vm" });
  const image = new BaseImage(host, "img", { source: "/i.qcow2", pool });
  const lab = BridgeNetwork.nat(host, "lab", { subnet: "10.8.0.0/24", dhcpRange: { start: "10.8.0.10", end: "10.8.0.99" } });
  const vm = new VirtualMachine(host, "web", { image, interfaces: [{ network: lab }] });
  const data = Volume.blank(vm, "data", { size: Size.gibibytes(5) });
  vm.addDisk(data);
  return { s, host, pool, image, lab, vm, data };
}

describe("the escape hatch", () => {
  test("any provider field through the underlying resource: a virtio RNG, a description, a pool's permissions", () => {
    const { s, vm, pool, lab, data } = stack();
    vm.domainResource.addOverride("devices.rngs", [{ model: "virtio", backend: { random: "/dev/urandom" } }]);
    vm.domainResource.addOverride("description", "managed by cdktf-libvirt");
    pool.resource.addOverride("target.permissions", { mode: "0711" });
    lab.resource!.addOverride("mtu", { size: 9000 });
    data.resource!.addOverride("target.permissions", { mode: "0600" });
    const { tf } = synthStack(s);
    const domain = resources(tf, "libvirt_domain").local_web;
    expect(domain.devices.rngs).toEqual([{ model: "virtio", backend: { random: "/dev/urandom" } }]);
    // the rest of the block is left as the construct rendered it
    expect(domain.devices.interfaces).toHaveLength(1);
    expect(domain.description).toBe("managed by cdktf-libvirt");
    expect(resources(tf, "libvirt_pool").local_vmstore.target).toEqual({ path: "/srv/vm", permissions: { mode: "0711" } });
    expect(resources(tf, "libvirt_network").local_lab.mtu).toEqual({ size: 9000 });
    expect(resources(tf, "libvirt_volume").local_web_data.target).toEqual({ format: { type: "qcow2" }, permissions: { mode: "0600" } });
  });

  test("a host bridge creates no resource, so it has none to reach", () => {
    const host = new LibvirtHost(new LibvirtStack(Testing.app(), "test"), "local");
    expect(BridgeNetwork.fromHostBridge(host, "br0", { bridge: "br0" }).resource).toBeUndefined();
  });

  test("attributes for outputs and references: a VM's UUID, a volume's path and id, an image's path", () => {
    const { s, vm, data, image } = stack();
    new TerraformOutput(s, "web", { value: { uuid: vm.uuid, data: data.path, dataId: data.id, image: image.path } });
    const { tf } = synthStack(s);
    expect(tf.output.web.value).toEqual({
      uuid: "${libvirt_domain.local_web.uuid}",
      data: "${libvirt_volume.local_web_data.path}",
      dataId: "${libvirt_volume.local_web_data.id}",
      image: "${libvirt_volume.local_img.path}",
    });
  });

  test("cdktf's Testing matchers with the provider's resource types", () => {
    const { s } = stack();
    const json = Testing.synth(s, true);
    expect(json).toHaveResourceWithProperties(LibvirtResourceTypes.DOMAIN, { name: "web", memory: 2048, memory_unit: "MiB" });
    expect(json).toHaveResourceWithProperties(LibvirtResourceTypes.VOLUME, { name: "web-data.qcow2", capacity: 5, capacity_unit: "GiB" });
    expect(json).toHaveResourceWithProperties(LibvirtResourceTypes.POOL, { name: "vmstore" });
    expect(json).toHaveResourceWithProperties(LibvirtResourceTypes.NETWORK, { name: "lab" });
    expect(json).toHaveResource(LibvirtResourceTypes.CLOUDINIT_DISK);
    expect(json).toHaveDataSource(LibvirtResourceTypes.DOMAIN_INTERFACE_ADDRESSES);
    expect(json).toHaveProviderWithProperties(LibvirtResourceTypes.PROVIDER, { uri: "qemu:///system" });
    expect(json).not.toHaveResourceWithProperties(LibvirtResourceTypes.DOMAIN, { name: "db" });
  });
});

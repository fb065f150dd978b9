import { TerraformStack } from "cdktf";
import { BaseImage, BridgeNetwork, Firmware, Graphics, LibvirtHost, StoragePool, VirtualMachine } from "cdktf-libvirt";
import { synth } from "../helpers/synth";

/** A host (with `uri`) and a VM on an image, built by `edit`; returns the synthesized JSON. */
function synthesized(edit: (host: LibvirtHost, stack: TerraformStack) => void, uri?: string): any {
  return synth((stack) => edit(new LibvirtHost(stack, "local", { uri }), stack)).tf;
}

const image = (host: LibvirtHost, source = "/images/debian.qcow2") => new BaseImage(host, "debian", { source });

describe("user strings reach Terraform literally: ${ and %{ are escaped", () => {
  test.each([
    ["a host bridge", (h: LibvirtHost) => new VirtualMachine(h, "vm", { image: image(h), interfaces: [{ network: BridgeNetwork.fromHostBridge(h, "lan", { bridge: "br${x}" }) }] }), (tf: any) => tf.resource.libvirt_domain.local_vm.devices.interfaces[0].source.bridge.bridge, "br$${x}"],
    ["a bridged network's bridge", (h: LibvirtHost) => BridgeNetwork.bridged(h, "lan", { bridge: "br%{x}" }), (tf: any) => tf.resource.libvirt_network.local_lan.bridge.name, "br%%{x}"],
    ["a NAT network's bridge", (h: LibvirtHost) => BridgeNetwork.nat(h, "lab", { subnet: "10.0.0.0/24", bridge: "v${a}", dhcpRange: { start: "10.0.0.10", end: "10.0.0.20" } }), (tf: any) => tf.resource.libvirt_network.local_lab.bridge.name, "v$${a}"],
    ["a pool path", (h: LibvirtHost) => new StoragePool(h, "store", { path: "/srv/${pool}" }), (tf: any) => tf.resource.libvirt_pool.local_store.target.path, "/srv/$${pool}"],
    ["an image source", (h: LibvirtHost) => image(h, "https://example.com/${v}/%{x}.qcow2"), (tf: any) => tf.resource.libvirt_volume.local_debian.create.content.url, "https://example.com/$${v}/%%{x}.qcow2"],
    ["a UEFI loader", (h: LibvirtHost) => new VirtualMachine(h, "vm", { image: image(h), firmware: Firmware.uefi({ loader: "/fw/${x}.fd", nvramTemplate: "/fw/vars.fd" }) }), (tf: any) => tf.resource.libvirt_domain.local_vm.os.loader, "/fw/$${x}.fd"],
    ["a UEFI NVRAM template", (h: LibvirtHost) => new VirtualMachine(h, "vm", { image: image(h), firmware: Firmware.uefi({ loader: "/fw/code.fd", nvramTemplate: "/fw/${x}.fd" }) }), (tf: any) => tf.resource.libvirt_domain.local_vm.os.nv_ram.template, "/fw/$${x}.fd"],
    ["a UEFI NVRAM directory", (h: LibvirtHost) => new VirtualMachine(h, "vm", { image: image(h), firmware: Firmware.uefi({ loader: "/fw/code.fd", nvramTemplate: "/fw/vars.fd", nvramDir: "/nv/${d}" }) }), (tf: any) => tf.resource.libvirt_domain.local_vm.os.nv_ram.nv_ram, "/nv/$${d}/vm_VARS.fd"],
    ["a display's listen address", (h: LibvirtHost) => new VirtualMachine(h, "vm", { image: image(h), graphics: Graphics.vnc({ listen: "${addr}" }) }), (tf: any) => tf.resource.libvirt_domain.local_vm.devices.graphics[0].vnc.listen, "$${addr}"],
  ])("%s", (_what, build, read, expected) => {
    expect(read(synthesized(build))).toBe(expected);
  });

  test("a connection URI", () => {
    const tf = synthesized(() => {}, "qemu+ssh://root@${host}/system");
    expect(tf.provider.libvirt[0].uri).toBe("qemu+ssh://root@$${host}/system");
  });

  test("UEFI files left to the host stay Terraform variables", () => {
    const tf = synthesized((h) => new VirtualMachine(h, "vm", { image: image(h), firmware: Firmware.uefi() }));
    expect(tf.resource.libvirt_domain.local_vm.os.loader).toBe("${var.libvirt_uefi_loader}");
  });

  test("text without ${ or %{ is unchanged, a lone $ or % included", () => {
    const tf = synthesized((h) => new StoragePool(h, "store", { path: "/srv/$pool/100%" }));
    expect(tf.resource.libvirt_pool.local_store.target.path).toBe("/srv/$pool/100%");
  });
});

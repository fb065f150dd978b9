import { Testing } from "cdktf";
import { BaseImage, BridgeNetwork, LibvirtHost, LibvirtResourceTypes, LibvirtStack, Size } from "cdktf-libvirt";
import { WebPair } from "../web-pair";

function synth(dataSize?: Size): string {
  const stack = new LibvirtStack(Testing.app(), "test");
  const host = new LibvirtHost(stack, "local");
  const image = new BaseImage(host, "debian-12", { source: "/images/debian-12.qcow2" });
  const lan = BridgeNetwork.fromHostBridge(host, "lan", { bridge: "br0" });
  new WebPair(host, "web", { image, lan, dataSize });
  return Testing.synth(stack, true);
}

describe("WebPair", () => {
  test("two VMs, named after the pair", () => {
    const json = synth();
    expect(json).toHaveResourceWithProperties(LibvirtResourceTypes.DOMAIN, { name: "web-a", memory: 2048, memory_unit: "MiB", vcpu: 2 });
    expect(json).toHaveResourceWithProperties(LibvirtResourceTypes.DOMAIN, { name: "web-b" });
  });

  test("each with a data disk of its own, retained", () => {
    const json = synth(Size.gibibytes(50));
    for (const name of ["web-a-data.qcow2", "web-b-data.qcow2"]) {
      expect(json).toHaveResourceWithProperties(LibvirtResourceTypes.VOLUME, { name, capacity: 50, capacity_unit: "GiB" });
    }
    const volumes = Object.values(JSON.parse(json).resource.libvirt_volume) as { name: string; lifecycle?: { prevent_destroy?: boolean } }[];
    expect(volumes.filter((v) => v.name.endsWith("-data.qcow2")).map((v) => v.lifecycle?.prevent_destroy)).toEqual([true, true]);
  });

  test("a cloud-init seed per VM, with nginx", () => {
    const json = synth();
    expect(json).toHaveResourceWithProperties(LibvirtResourceTypes.CLOUDINIT_DISK, { name: "web-a-seed" });
    expect(JSON.parse(json).resource.libvirt_cloudinit_disk.local_web_b_CloudInit_seed.user_data).toContain("- nginx");
  });
});

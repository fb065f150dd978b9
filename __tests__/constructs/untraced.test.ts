import { App, IResolvable, Lazy, Tokenization } from "cdktf";
import { BaseImage, BridgeNetwork, LibvirtHost, LibvirtStack, Size, VirtualMachine, Volume } from "cdktf-libvirt";
import { untraced } from "../../packages/cdktf-libvirt/src/untraced";

function creationStack(token: string): string[] {
  return (Tokenization.reverseString(token).firstToken as IResolvable).creationStack;
}

// if these fail after a cdktf upgrade, untraced.ts no longer finds cdktf's capture function: the output
// is still right, synthesis is just slower again (bench/README.md)
(process.env.CDKTF_LIBVIRT_STACK_TRACES ? describe.skip : describe)("untraced", () => {
  test("the references a VM makes for itself carry no stack trace; the user's own tokens keep theirs", () => {
    const host = new LibvirtHost(new LibvirtStack(new App({ outdir: "/tmp/untraced-unused" }), "s"), "local");
    const image = new BaseImage(host, "debian", { source: "/srv/debian.qcow2" });
    const vm = new VirtualMachine(host, "vm", { image, interfaces: [{ network: BridgeNetwork.fromHostBridge(host, "br0", { bridge: "br0" }) }] });
    const data = Volume.blank(host, "data", { size: Size.gibibytes(1) });
    expect(creationStack(vm.systemDisk.volumeName)).toEqual([]);
    expect(creationStack(data.volumeName).length).toBeGreaterThan(0);
  });

  test("capture is switched back on afterwards, also when the callback throws", () => {
    const lazy = () => Lazy.stringValue({ produce: () => "x" });
    expect(untraced(() => creationStack(lazy()))).toEqual([]);
    expect(() => untraced(() => { throw new Error("boom"); })).toThrow("boom");
    expect(creationStack(lazy()).length).toBeGreaterThan(0);
  });
});

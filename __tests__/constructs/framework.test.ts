import { App, IResolvable, Lazy, Tokenization } from "cdktf";
import { BaseImage, BridgeNetwork, LibvirtHost, LibvirtStack, Size, VirtualMachine, Volume } from "cdktf-libvirt";
import { assess, FRAMEWORK, KNOWN, untraced } from "../../packages/cdktf-libvirt/src/framework";

function creationStack(token: string): string[] {
  return (Tokenization.reverseString(token).firstToken as IResolvable).creationStack;
}

// The one module that knows the framework's private parts (src/framework.ts). If one of these fails after
// an upgrade of cdktf (or cdktn), that module no longer knows the framework: the output is still right,
// synthesis is just slower again (bench/README.md), until it is taught the new shape.
describe("the framework's private parts", () => {
  test("the installed framework is one the module knows, with every part in the shape it expects", () => {
    expect(Object.keys(KNOWN)).toContain(FRAMEWORK.name);
    expect(FRAMEWORK).toEqual({ name: FRAMEWORK.name, version: FRAMEWORK.version, known: true });
  });

  test("a version it does not know, or a part that moved, takes the framework's own path, with the reason", () => {
    const load = (module: string) => require(module);
    expect(assess({ name: "cdktf", version: "0.22.0" }, load).framework).toEqual({
      name: "cdktf",
      version: "0.22.0",
      known: false,
      reason: "cdktf 0.22.0 is not a version this library knows (cdktf 0.21.x, cdktn 0.24.x)",
    });
    const moved = assess({ name: "cdktf", version: "0.21.9" }, (module) => (module.endsWith("_tokens") ? {} : load(module)));
    expect(moved).toEqual({ framework: { name: "cdktf", version: "0.21.9", known: false, reason: "_tokens has no resolve" } });
    const missing = assess({ name: "cdktf", version: "0.21.9" }, (module) => {
      if (module.includes("stack-trace")) throw new Error(`Cannot find module '${module}'\nRequire stack: ...`);
      return load(module);
    });
    expect(missing.framework.reason).toBe("Cannot find module 'cdktf/lib/tokens/private/stack-trace'");
    expect(missing.parts).toBeUndefined();
  });
});

(process.env.CDKTF_LIBVIRT_STACK_TRACES ? describe.skip : describe)("untraced", () => {
  test("the references a VM makes for itself carry no stack trace; the user's own tokens keep theirs", () => {
    const host = new LibvirtHost(new LibvirtStack(new App({ outdir: "/tmp/untraced-unused" }), "s"), "local");
    const image = new BaseImage(host, "debian", { source: "/srv/debian.qcow2" });
    const vm = new VirtualMachine(host, "vm", { image, interfaces: [{ network: BridgeNetwork.fromHostBridge(host, "br0", { bridge: "br0" }) }] });
    const data = Volume.blank(host, "data", { size: Size.gibibytes(1) });
    expect(creationStack(vm.systemDisk.volumeName)).toEqual([]);
    // and the attribute references they hand out
    for (const token of [vm.uuid, vm.systemDisk.path, vm.systemDisk.id]) expect(creationStack(token)).toEqual([]);
    expect(creationStack(data.volumeName).length).toBeGreaterThan(0);
  });

  test("capture is switched back on afterwards, also when the callback throws", () => {
    const lazy = () => Lazy.stringValue({ produce: () => "x" });
    expect(untraced(() => creationStack(lazy()))).toEqual([]);
    expect(() => untraced(() => { throw new Error("boom"); })).toThrow("boom");
    expect(creationStack(lazy()).length).toBeGreaterThan(0);
  });
});

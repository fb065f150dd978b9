import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformOutput } from "cdktf";
import stableStringify = require("json-stable-stringify");
import { BaseImage, BridgeNetwork, LibvirtHost, LibvirtStack, VirtualMachine } from "cdktf-libvirt";
import { stackJson } from "../../packages/cdktf-libvirt/src/stack-json";

// cdktf writes cdk.tf.json with json-stable-stringify (two spaces); stackJson must print the same bytes
const cdktfText = (document: unknown) => stableStringify(document, { space: 2 });

describe("stackJson", () => {
  test.each([
    ["nested objects and arrays, keys out of order", { b: { z: 1, a: [3, { y: true, x: null }] }, a: "s", "//": { m: 1 } }],
    ["empty objects and arrays at every depth", { a: {}, b: [], c: [{}, [], [[]]], d: { e: { f: {} } }, g: [{ h: [] }] }],
    ["an empty document", {}],
    ["values JSON cannot hold: dropped from objects, null in arrays", { a: undefined, b: () => 1, c: [undefined, () => 1], d: 1 }],
    ["an object whose values are all dropped prints as empty", { a: { b: undefined }, c: [{ d: undefined }] }],
    ["toJSON is applied", { when: new Date(0), custom: { toJSON: () => ({ b: 1, a: {} }) } }],
    ["toJSON is applied once: a toJSON in its result is a function like any other", { a: { toJSON: () => ({ toJSON: () => "again", b: 1 }) } }],
    ["sorted objects and arrays holding something to change", { a: 1, b: { c: undefined, d: [1, () => 2, {}], e: Symbol("s") }, f: [[], 1] }],
    ["strings that need escaping, and keys sorted by UTF-16 code unit", { "é": "\"q\"\n\\", Z: "\u2028", a: "{}", "a b": "[]" }],
    ["strings that look like the empty markers", { a: "\\u0000{}", b: '"\\u0000[]"', c: ["\\u0000{}"] }],
    ["numbers", { a: -0, b: 1e21, c: NaN, d: Infinity, e: 0.1 }],
    // the sorted copy cannot hold these: the library prints them
    ["array-index keys (V8 orders them first)", { b: 1, 10: "x", 9: "y", a: { 2: [], 1: {} } }],
    ["strings holding NUL", { a: "\u0000{}", b: ["\u0000[]"], "\u0000": 1 }],
  ])("%s", (_name, document) => {
    expect(stackJson(document)).toBe(cdktfText(document));
  });

  test("a cycle fails as in cdktf", () => {
    const document: { [key: string]: unknown } = { a: 1 };
    document.self = document;
    expect(() => stackJson(document)).toThrow(TypeError);
  });

  test("a stack's cdk.tf.json is the text cdktf's own synthesizer writes", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-json-"));
    try {
      const app = new App({ outdir });
      const stack = new LibvirtStack(app, "s");
      const host = new LibvirtHost(stack, "local");
      const image = new BaseImage(host, "debian", { source: "/srv/debian.qcow2" });
      const vm = new VirtualMachine(host, "vm", { image, interfaces: [{ network: BridgeNetwork.fromHostBridge(host, "br0", { bridge: "br0" }) }] });
      new TerraformOutput(stack, "empty", { value: { none: [], nothing: {} } });
      new TerraformOutput(stack, "name", { value: vm.name });
      app.synth();
      const written = fs.readFileSync(path.join(outdir, "stacks", "s", "cdk.tf.json"), "utf8");
      expect(written).toBe(cdktfText(stack.toTerraform()));
      expect(written).toContain('"nothing": {\n');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test("with SYNTH_HCL_OUTPUT, cdktf's synthesizer writes HCL and the stack writes nothing over it", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-hcl-"));
    process.env.SYNTH_HCL_OUTPUT = "true";
    try {
      const app = new App({ outdir, hclOutput: true });
      const stack = new LibvirtStack(app, "s");
      const host = new LibvirtHost(stack, "local");
      new VirtualMachine(host, "vm", { image: new BaseImage(host, "debian", { source: "/srv/debian.qcow2" }) });
      app.synth();
      const files = fs.readdirSync(path.join(outdir, "stacks", "s"));
      expect(files).toContain("cdk.tf");
      expect(files).not.toContain("cdk.tf.json");
      expect(fs.readFileSync(path.join(outdir, "stacks", "s", "cdk.tf"), "utf8")).toContain('resource "libvirt_domain" "local_vm"');
    } finally {
      delete process.env.SYNTH_HCL_OUTPUT;
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

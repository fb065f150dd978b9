import * as fs from "fs";
import * as path from "path";
import * as cdktf from "cdktf";
import * as spec from "../../stack-spec";
import { expectValidAgainstProviderSchema } from "../helpers/schema";
import { ROOT, nixEval, nixFile, tempDir } from "./helpers";

// nix/spec.nix turns the module's option values into the spec main.ts reads. Evaluated here without
// nixpkgs, on the examples under nix/examples/, and handed to the app's own loader and synth.

// nix/check-spec.js is what the module runs at build time; the tests drive it with the sources.
const checkSpec: {
  synthSpec: (modules: { spec: unknown; cdktf: unknown }, file: string) => Record<string, unknown>;
  differences: (a: unknown, b: unknown) => string[];
} = require("../../nix/check-spec.js");

type Json = Record<string, any>;

const evaluated = nixEval<{ testvm: Json; lab: Json; labValues: Json; labOnArm: Json }>(`
  let
    spec = import ${nixFile("nix/spec.nix")};
    lab = import ${nixFile("nix/examples/lab.nix")};
  in {
    testvm = spec (import ${nixFile("nix/examples/testvm.nix")});
    lab = spec lab;
    labValues = lab;
    labOnArm = spec (lab // { defaultArch = "aarch64"; vms = lab.vms // { pc = { image = "debian-12"; arch = "x86_64"; }; }; });
  }
`);

let dir: string;
beforeAll(() => {
  dir = tempDir("spec");
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeSpec(name: string, data: unknown): string {
  const file = path.join(dir, `${name}.spec.json`);
  fs.writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}

const modules = { spec, cdktf };
const exampleFile = path.join(ROOT, "app", "default.spec.json");

describe("nix/spec.nix on the testvm example", () => {
  test("main.ts's loader accepts it", () => {
    expect(() => spec.parseSpec(evaluated.testvm, "nix/examples/testvm.nix")).not.toThrow();
  });

  test("it is app/default.spec.json (apart from $schema)", () => {
    const { $schema, ...example } = JSON.parse(fs.readFileSync(exampleFile, "utf8"));
    expect($schema).toBeDefined();
    expect(evaluated.testvm).toEqual(example);
  });

  test("it synthesizes to the same Terraform JSON as app/default.spec.json, valid for the provider", () => {
    const fromNix = checkSpec.synthSpec(modules, writeSpec("testvm", evaluated.testvm));
    const fromExample = checkSpec.synthSpec(modules, exampleFile);
    expect(Object.keys(fromNix)).toEqual(["testvm"]);
    expect(checkSpec.differences(fromNix, fromExample)).toEqual([]);
    expectValidAgainstProviderSchema(fromNix.testvm as object);
  });

  test("the same, built with buildStacks into an App in a temporary outdir", () => {
    const outdir = path.join(dir, "app-out");
    const app = new cdktf.App({ outdir });
    const stacks = spec.buildStacks(app, spec.parseSpec(evaluated.testvm));
    app.synth();
    expect(stacks.map((s) => s.node.id)).toEqual(["testvm"]);
    const tf = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "testvm", "cdk.tf.json"), "utf8"));
    const domain = tf.resource.libvirt_domain.local_testvm;
    expect(domain).toMatchObject({ name: "testvm", autostart: true, vcpu: 1 });
  });
});

describe("nix/spec.nix on the lab example (every collection of the spec)", () => {
  const host = () => evaluated.lab.stacks.lab.hosts.local;

  test("keeps every name, drops unset options and empty collections", () => {
    expect(Object.keys(host()).sort()).toEqual(["groups", "images", "networks", "pools", "uri", "vms"]);
    expect(Object.keys(host().images).sort()).toEqual(["alpine", "debian-12"]);
    expect(host().networks.backend).toEqual({
      type: "nat",
      subnet: "192.168.100.0/24",
      dhcpRange: { start: "192.168.100.100", end: "192.168.100.199" },
      domain: "backend.lab",
    });
    expect(host().vms.web.interfaces[1]).toEqual({ network: "backend" });
    expect(host().vms.web.cloudInit.runcmd).toEqual(["systemctl enable --now nginx", ["touch", "/etc/cloud-init-done"]]);
    // nothing that is not spec: the module's own options (secrets, allowDestroy, host, enable) stay out
    expect(JSON.stringify(evaluated.lab)).not.toMatch(/secrets|allowDestroy|"host"|"enable"|lab-admin-hash/);
  });

  test("firmware.uefi = { } means UEFI with the default firmware", () => {
    expect(evaluated.labValues.vms.web.firmware).toEqual({ uefi: {} });
    expect(host().vms.web.firmware).toBe("uefi");
  });

  test("defaultArch (the module passes the host's) fills in the VMs and groups that name none", () => {
    const onArm = evaluated.labOnArm.stacks.lab.hosts.local;
    expect([onArm.vms.web.arch, onArm.groups.worker.arch, onArm.vms.pc.arch]).toEqual(["aarch64", "aarch64", "x86_64"]);
    expect(host().vms.web.arch).toBeUndefined();
    const tf = checkSpec.synthSpec(modules, writeSpec("lab-arm", evaluated.labOnArm)).lab as Json;
    expect(tf.resource.libvirt_domain["local_worker_worker-1"].os).toMatchObject({ type_arch: "aarch64", type_machine: "virt", loader: "${var.libvirt_uefi_loader}" });
  });

  test("a secret is a reference by name", () => {
    expect(host().vms.web.cloudInit.users[0].passwordHash).toEqual({ secret: "admin_password_hash" });
  });

  test("the loader accepts it and it synthesizes, valid for the provider", () => {
    const parsed = spec.parseSpec(evaluated.lab, "nix/examples/lab.nix");
    expect(parsed.stacks.lab.hosts.local.groups?.worker.count).toBe(2);
    const tf = checkSpec.synthSpec(modules, writeSpec("lab", evaluated.lab));
    expectValidAgainstProviderSchema(tf.lab as object);
    const stack = tf.lab as Json;
    expect(stack.variable?.admin_password_hash).toMatchObject({ sensitive: true });
    expect(Object.keys(stack.resource.libvirt_domain).sort()).toEqual(["local_web", "local_worker_worker-1", "local_worker_worker-2"].sort());
  });
});

describe("nix/check-spec.js", () => {
  test("reports a spec the loader rejects with the field's path", () => {
    const bad = writeSpec("bad", { stacks: { x: { hosts: { local: { vms: { a: { image: "nope" } } } } } } });
    expect(() => checkSpec.synthSpec(modules, bad)).toThrow(/stacks\.x\.hosts\.local\.vms\.a\.image: no image "nope"/);
  });

  test("differences() names the paths that differ", () => {
    expect(checkSpec.differences({ a: [1, { b: 2 }], c: 1 }, { a: [1, { b: 3 }], d: 1 })).toEqual(["a[1].b", "c", "d"]);
  });
});

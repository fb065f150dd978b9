import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { Testing } from "cdktf";
import { TestvmStack } from "../../examples/testvm";
import { buildStacks, loadSpec, parseSpec, specJsonSchemaText } from "../../stack-spec";
import { testvmSpec, withVm } from "../helpers/spec";
import { synthStack } from "../helpers/synth";

const root = resolve(__dirname, "../..");

/** Runs the real main.ts in a fresh folder; returns its exit status, stderr and whether it wrote output. */
function runMain(spec?: string | object): { status: number | null; stderr: string; wrote: boolean; outdir: string } {
  const dir = mkdtempSync(join(tmpdir(), "main-test-"));
  const outdir = join(dir, "cdktf.out");
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" };
  delete env.CDKTF_LIBVIRT_SPEC;
  if (typeof spec === "string") env.CDKTF_LIBVIRT_SPEC = spec;
  else if (spec) {
    env.CDKTF_LIBVIRT_SPEC = join(dir, "spec.json");
    writeFileSync(env.CDKTF_LIBVIRT_SPEC, JSON.stringify(spec));
  }
  const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", join(root, "main.ts")], { cwd: root, env, encoding: "utf8" });
  return { status: run.status, stderr: run.stderr, wrote: existsSync(outdir), outdir };
}

describe("the JSON spec", () => {
  test("the testvm spec synthesizes exactly what the TypeScript example does", () => {
    const fromSpec = buildStacks(Testing.app(), loadSpec(join(root, "app/default.spec.json")));
    expect(fromSpec).toHaveLength(1);
    expect(synthStack(fromSpec[0]).json).toBe(synthStack(new TestvmStack(Testing.app(), "testvm")).json);
  });

  test("the published JSON Schema is generated from the validation code and up to date", () => {
    expect(readFileSync(join(root, "schemas/spec.schema.json"), "utf8")).toBe(specJsonSchemaText());
  });

  test.each([
    [{ memory: 2048 }, 'spec spec: stacks.testvm.hosts.local.vms.testvm.memory: Invalid input: expected string, received number'],
    [{ memory: "2 GB" }, 'spec spec: stacks.testvm.hosts.local.vms.testvm.memory: must be a size with a binary unit, e.g. "2048 MiB" or "100 GiB"'],
    [{ cpus: 2 }, "spec spec: stacks.testvm.hosts.local.vms.testvm.cpus: unknown key"],
    [{ interfaces: [{ network: "br0", ip: "10.0.0.1/24" }] }, "spec spec: stacks.testvm.hosts.local.vms.testvm.interfaces[0].ip: unknown key"],
    [{ firmware: "efi" }, 'spec spec: stacks.testvm.hosts.local.vms.testvm.firmware: must be "bios", "uefi" or { "uefi": { "loader", "nvramTemplate", "nvramDir" } }'],
  ])("field errors name the spec path: %j", (patch, message) => {
    expect(() => parseSpec(withVm(patch))).toThrow(message);
  });

  test("domain type, CPU, architecture, machine and cloud-init's applyOnChange reach the domain", () => {
    const build = (patch: object) => {
      const [stack] = buildStacks(Testing.app(), parseSpec(withVm(patch)));
      return JSON.parse(synthStack(stack).json);
    };
    const emulated = build({ domainType: "qemu", cpu: { model: "qemu64" }, machine: "pc-q35-7.2", cloudInit: { applyOnChange: true } });
    const domain = emulated.resource.libvirt_domain.local_testvm;
    expect([domain.type, domain.cpu, domain.os.type_machine, domain.os.type_arch]).toEqual(["qemu", { mode: "custom", model: "qemu64" }, "pc-q35-7.2", "x86_64"]);
    expect(emulated.resource.libvirt_cloudinit_disk.local_testvm_CloudInit_seed.meta_data).toMatch(/^instance-id: testvm-[0-9a-f]{12}\n/);
    expect(build({ cpu: "host-model" }).resource.libvirt_domain.local_testvm.cpu).toEqual({ mode: "host-model" });
  });

  test.each([
    [{ domainType: "xen" }, 'spec spec: stacks.testvm.hosts.local.vms.testvm.domainType: Invalid option: expected one of "kvm"|"qemu"'],
    [{ arch: "riscv64" }, 'spec spec: stacks.testvm.hosts.local.vms.testvm.arch: Invalid option: expected one of "x86_64"|"aarch64"'],
    [{ cpu: "max" }, 'spec spec: stacks.testvm.hosts.local.vms.testvm.cpu: must be "host-passthrough", "host-model" or { "model": "<name>" }'],
  ])("bad platform keys name the spec path: %j", (patch, message) => {
    expect(() => parseSpec(withVm(patch))).toThrow(message);
  });

  test("a spec CPU that does not suit the domain type is refused with the construct path", () => {
    expect(() => buildStacks(Testing.app(), parseSpec(withVm({ domainType: "qemu", cpu: "host-passthrough" })))).toThrow(
      '[testvm/local/testvm] cpu: host-passthrough needs domainType kvm; QEMU emulation takes a named model (CpuModel.named("qemu64")) or its default',
    );
  });

  test("a VM key that is not an RFC 1123 label", () => {
    const spec = testvmSpec();
    spec.stacks.testvm.hosts.local.vms.Test_VM = spec.stacks.testvm.hosts.local.vms.testvm;
    expect(() => parseSpec(spec)).toThrow("spec spec: stacks.testvm.hosts.local.vms.Test_VM: must be an RFC 1123 label");
  });

  test("unknown network types are named", () => {
    const spec = testvmSpec();
    spec.stacks.testvm.hosts.local.networks.br0.type = "macvtap";
    expect(() => parseSpec(spec)).toThrow("spec spec: stacks.testvm.hosts.local.networks.br0.type: unknown type (expected one of host-bridge, bridge, nat)");
  });

  test("references to undeclared images and networks are spec errors", () => {
    const spec = parseSpec(withVm({ image: "ubuntu", interfaces: [{ network: "lan" }] }));
    expect(() => buildStacks(Testing.app(), spec)).toThrow(
      [
        'spec: stacks.testvm.hosts.local.vms.testvm.image: no image "ubuntu" (declared: debian-12)',
        'spec: stacks.testvm.hosts.local.vms.testvm.interfaces[0].network: no network "lan" (declared: br0)',
      ].join("\n"),
    );
  });

  test("a secret in the spec becomes a sensitive variable", () => {
    const spec = parseSpec(withVm({ cloudInit: { users: [{ name: "ops", passwordHash: { secret: "ops_hash" } }] } }));
    const { tf } = synthStack(buildStacks(Testing.app(), spec)[0]);
    expect(tf.variable.ops_hash.sensitive).toBe(true);
  });
});

describe("main.ts", () => {
  test("synthesizes the testvm stack by default", () => {
    const result = runMain();
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const tf = JSON.parse(readFileSync(join(result.outdir, "stacks/testvm/cdk.tf.json"), "utf8"));
    expect(Object.keys(tf.resource.libvirt_domain)).toEqual(["local_testvm"]);
  });

  test("synthesizes the stacks of a spec file named by CDKTF_LIBVIRT_SPEC", () => {
    const spec = testvmSpec();
    // on another hypervisor: on the same one, its VM and image would be the first stack's
    spec.stacks.other = structuredClone(spec.stacks.testvm);
    spec.stacks.other.hosts.local.uri = "qemu+ssh://root@kvm2/system";
    const result = runMain(spec);
    expect(result.status).toBe(0);
    expect(existsSync(join(result.outdir, "stacks/testvm/cdk.tf.json"))).toBe(true);
    expect(existsSync(join(result.outdir, "stacks/other/cdk.tf.json"))).toBe(true);
  });

  test.each([
    ["a missing spec file", "/nonexistent/spec.json", "spec /nonexistent/spec.json: file not found\n"],
  ])("%s fails and writes nothing", (_what, spec, message) => {
    expect(runMain(spec)).toMatchObject({ status: 1, stderr: message, wrote: false });
  });

  test("a spec file that is not JSON fails and writes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "spec-"));
    writeFileSync(join(dir, "bad.json"), "{ stacks: ");
    const result = runMain(join(dir, "bad.json"));
    expect(result).toMatchObject({ status: 1, wrote: false });
    expect(result.stderr).toMatch(new RegExp(`^spec ${dir}/bad.json: not valid JSON: `));
  });

  test("an unknown key fails and writes nothing", () => {
    const result = runMain(withVm({ disk: "100 GiB" }));
    expect(result).toMatchObject({ status: 1, wrote: false });
    expect(result.stderr).toMatch(/^spec \S+spec\.json: stacks\.testvm\.hosts\.local\.vms\.testvm\.disk: unknown key\n$/);
  });

  test("a construct error in a second stack writes nothing, not even the first stack", () => {
    const spec = testvmSpec();
    spec.stacks.second = structuredClone(spec.stacks.testvm);
    spec.stacks.second.hosts.local.uri = "qemu+ssh://root@kvm2/system";
    spec.stacks.second.hosts.local.vms.testvm.vcpus = 300;
    expect(runMain(spec)).toMatchObject({ status: 1, stderr: "[second/local/testvm] vcpus: must be a whole number from 1 to 256 (got 300)\n", wrote: false });
  });

  test("a cross-VM validation error (duplicate MAC) writes nothing", () => {
    const spec = testvmSpec();
    const vms = spec.stacks.testvm.hosts.local.vms;
    vms.testvm.interfaces = [{ network: "br0", mac: "52:54:00:00:00:01" }];
    vms.other = { ...vms.testvm };
    const result = runMain(spec);
    expect(result).toMatchObject({
      status: 1,
      stderr: '[testvm/local/other] interfaces[0].mac: MAC "52:54:00:00:00:01" is already used by testvm/local/testvm\n',
      wrote: false,
    });
  });
});

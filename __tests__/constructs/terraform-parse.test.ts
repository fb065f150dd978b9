import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, Testing } from "cdktf";
import { MixedStack } from "../../bench/stacks";
import { LabStack } from "../../examples/lab";
import { TestvmStack } from "../../examples/testvm";
import { LibvirtHost, LibvirtStack, VirtualMachine, Volume } from "cdktf-libvirt";

// The real terraform binary parses every example stack. No libvirt provider can be installed here, so
// `init -backend=false` runs against an empty provider mirror: it reads and checks the whole
// configuration (expressions, lifecycle, outputs, variables, the version pin) and only then fails,
// looking for the provider. Any configuration error shows up before that.
const binary = process.env.TF_BINARY ?? "terraform";
const work = mkdtempSync(join(tmpdir(), "tf-parse-"));
const mirror = join(work, "empty-mirror");
const cliConfig = join(work, "mirror.tfrc");
writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = "${mirror}"\n  }\n}\n`);

function init(stackJson: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(work, "stack-"));
  writeFileSync(join(dir, "cdk.tf.json"), stackJson);
  const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
  const run = spawnSync(binary, ["init", "-backend=false", "-input=false", "-no-color"], { cwd: dir, env, encoding: "utf8" });
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

function synthesized(build: (app: App) => LibvirtStack): string {
  const app = Testing.app();
  const stack = build(app);
  const dir = Testing.fullSynth(stack);
  return readFileSync(join(dir, "stacks", stack.node.id, "cdk.tf.json"), "utf8");
}

// terraform wraps its messages; match across the line break
const CONFIG_PROBLEMS = /problems\s+with\s+the\s+configuration/;

function expectParsedUpToTheProvider(result: { status: number | null; output: string }): void {
  expect(result.output).not.toMatch(CONFIG_PROBLEMS);
  expect(result.output).toContain('Finding dmacvicar/libvirt versions matching ">= 0.9.7, < 0.10.0"');
  expect(result.output).toContain("Failed to query available provider packages");
  expect(result.status).toBe(1);
}

describe("terraform parses the synthesized stacks", () => {
  test("the default testvm stack", () => {
    expectParsedUpToTheProvider(init(synthesized((app) => new TestvmStack(app, "testvm"))));
  });

  test("the lab example", () => {
    expectParsedUpToTheProvider(init(synthesized((app) => new LabStack(app, "lab"))));
  });

  test("a mixed stack: two hosts, NAT and bridged networks, a sensitive variable, UEFI, data disks", () => {
    const json = synthesized((app) => new MixedStack(app, "mixed", 4));
    expect(Object.keys(JSON.parse(json).variable ?? {})).not.toHaveLength(0);
    expectParsedUpToTheProvider(init(json));
  });

  test("a stack that adopts a domain: its import block", () => {
    const json = synthesized((app) => {
      const stack = new LibvirtStack(app, "adopt");
      const host = new LibvirtHost(stack, "local");
      new VirtualMachine(host, "web", { systemDisk: Volume.existing(host, "disk", { path: "/var/lib/libvirt/images/web.qcow2" }), importUuid: "4dea22b3-1d52-d8f3-2516-782e98ab3fa0" });
      return stack;
    });
    expect(JSON.parse(json).import).toHaveLength(1);
    expectParsedUpToTheProvider(init(json));
  });

  test("the check is live: a configuration error is reported before the provider lookup", () => {
    const broken = JSON.parse(synthesized((app) => new TestvmStack(app, "testvm")));
    const volume = broken.resource.libvirt_volume.local_testvm_CloudInit;
    volume.lifecycle.replace_triggered_by = ["${libvirt_cloudinit_disk.local_testvm_CloudInit_seed}"];
    const result = init(JSON.stringify(broken));
    expect(result.output).toMatch(CONFIG_PROBLEMS);
    expect(result.output).toContain("replace_triggered_by");
    expect(result.output).not.toContain("Failed to query available provider packages");
  });
});

import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { Testing } from "cdktf";
import { buildStacks, parseSpec } from "../stack-spec";
import { BridgeNetwork, LibvirtHost, VirtualMachine, Volume } from "cdktf-libvirt";
import { synth, synthStack } from "./helpers/synth";

// The README's examples are what new users copy: they must run as written.
const root = resolve(__dirname, "..");
const readme = readFileSync(join(root, "README.md"), "utf8");

function codeBlock(language: string, after: string): string {
  const start = readme.indexOf(`\`\`\`${language}\n`, readme.indexOf(after));
  expect(start).toBeGreaterThan(-1);
  return readme.slice(start + language.length + 4, readme.indexOf("```", start + 3));
}

test("the TypeScript example synthesizes", () => {
  const dir = mkdtempSync(join(tmpdir(), "readme-"));
  const file = join(dir, "example.ts");
  writeFileSync(file, codeBlock("ts", "## A TypeScript example"));
  const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", file], {
    cwd: root,
    // the example lives outside the project: let it find the project's packages, the built library among them
    env: { ...process.env, NODE_PATH: join(root, "node_modules"), CDKTF_OUTDIR: join(dir, "out"), CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const tf = JSON.parse(readFileSync(join(dir, "out/stacks/homelab/cdk.tf.json"), "utf8"));
  expect(Object.keys(tf.resource.libvirt_volume).sort()).toEqual(["local_db_SystemDisk", "local_db_CloudInit", "local_db_data", "local_debian-12"].sort());
  expect(existsSync(join(dir, "out/manifest.json"))).toBe(true);
});

test("the JSON spec example synthesizes the testvm stack", () => {
  const spec = parseSpec(JSON.parse(codeBlock("json", "## A JSON spec example")));
  const { tf } = synthStack(buildStacks(Testing.app(), spec)[0]);
  expect(Object.keys(tf.resource.libvirt_domain)).toEqual(["local_testvm"]);
});

test("the adoption example renders one import block and attaches the existing disk", () => {
  const { tf } = synth((stack) => {
    const host = new LibvirtHost(stack, "local");
    const lan = BridgeNetwork.fromHostBridge(host, "lan", { bridge: "br0" });
    // the README's snippet is plain JavaScript too
    new Function("host", "lan", "Volume", "VirtualMachine", codeBlock("ts", "## Bringing existing VMs and disks under management"))(host, lan, Volume, VirtualMachine);
  });
  expect(tf.import).toEqual([{ to: "libvirt_domain.local_web", id: "4dea22b3-1d52-d8f3-2516-782e98ab3fa0" }]);
  expect(tf.resource.libvirt_domain.local_web.devices.disks[0].source.volume).toEqual({ pool: "default", volume: "web.qcow2" });
});

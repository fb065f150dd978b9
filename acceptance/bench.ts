// npm run bench:deploy: what cdktf-libvirt-deploy costs beside bare `tofu plan` / `tofu apply` of the same
// JSON, measured in one run on the lab (the real binary, provider and libvirtd): first apply, a no-change
// redeploy and one memory change, at 1, 5 and 20 VMs. The VMs boot nothing (a blank disk), so the numbers
// are the tools' own; guests under TCG would only add noise. Writes bench/results/deploy.{json,md}.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { resetLab, type Lab } from "./harness/lab";
import { ROOT, type Parts } from "./harness/parts";
import { run } from "./harness/run";

interface Timing {
  readonly wall: number;
  /** CPU seconds of the process and its children (tofu and the provider). */
  readonly cpu: number;
}

interface DeployTiming extends Timing {
  /** Wall seconds per step, from the moment deploy logged the step's command. */
  readonly steps: Record<string, number>;
}

interface BareTiming extends Timing {
  readonly steps: Record<string, number>;
  /** Set when bare tofu failed where deploy succeeds. */
  readonly failed?: string;
}

export interface SizeResult {
  readonly vms: number;
  readonly deploy: Record<Phase, DeployTiming>;
  readonly bare: Record<Phase, BareTiming>;
}

type Phase = "first apply" | "no-change redeploy" | "one memory change";
const PHASES: Phase[] = ["first apply", "no-change redeploy", "one memory change"];

export async function benchDeploy(lab: Lab, parts: Parts, sizes: number[], log: (line: string) => void): Promise<SizeResult[]> {
  const work = fs.mkdtempSync(path.join(lab.runDir, "bench-"));
  const blank = path.join(work, "blank.qcow2");
  run("qemu-img", ["create", "-q", "-f", "qcow2", blank, "64M"]);
  const cliConfig = path.join(work, "empty.tfrc");
  fs.writeFileSync(cliConfig, "");
  const results: SizeResult[] = [];
  for (const vms of sizes) {
    resetLab();
    const dir = fs.mkdtempSync(path.join(work, `n${vms}-`));
    const result: SizeResult = { vms, deploy: {} as SizeResult["deploy"], bare: {} as SizeResult["bare"] };
    const deployed = stackSpec(`d${vms}`, vms, blank);
    const bare = stackSpec(`b${vms}`, vms, blank);
    for (const phase of PHASES) {
      const memory = phase === "one memory change" ? "192 MiB" : "128 MiB";
      result.deploy[phase] = await timedDeploy(dir, parts, cliConfig, deployed(memory));
      result.bare[phase] = bareTofu(dir, parts, cliConfig, bare(memory), phase);
      log(`${vms} VMs, ${phase}: deploy ${result.deploy[phase].wall.toFixed(1)} s, bare tofu ${result.bare[phase].wall.toFixed(1)} s`);
    }
    results.push(result);
  }
  resetLab();
  return results;
}

/** A stack of `vms` domains on br0 over a blank image; the first VM's memory is the one that changes. */
function stackSpec(stack: string, vms: number, image: string) {
  return (firstMemory: string) => ({
    stacks: {
      [stack]: {
        hosts: {
          local: {
            images: { blank: { source: image, name: `${stack}-blank.qcow2` } },
            networks: { br0: { type: "host-bridge", bridge: "br0" } },
            vms: Object.fromEntries(
              Array.from({ length: vms }, (_, i) => [
                `${stack}-vm-${i + 1}`,
                { domainType: "qemu", image: "blank", memory: i === 0 ? firstMemory : "128 MiB", shutdownTimeoutSeconds: 1, interfaces: [{ network: "br0" }] },
              ]),
            ),
          },
        },
      },
    },
  });
}

function writeSpec(dir: string, spec: object): string {
  const file = path.join(dir, `${Object.keys((spec as { stacks: object }).stacks)[0]}.spec.json`);
  fs.writeFileSync(file, JSON.stringify(spec));
  return file;
}

async function timedDeploy(dir: string, parts: Parts, cliConfig: string, spec: object): Promise<DeployTiming> {
  const specFile = writeSpec(dir, spec);
  const stack = Object.keys((spec as { stacks: object }).stacks)[0];
  const argv = [
    path.join(ROOT, "dist/deploy/main.js"),
    ...["--app-dir", ROOT, "--synth-dir", path.join(dir, `${stack}-synth`), "--synth-command", `${process.execPath} ${path.join(ROOT, "dist/main.js")}`],
    ...["--state-dir", path.join(dir, `${stack}-state`), "--binary", parts.binary, "--plugin-dir", parts.providerDir, "--cli-config", cliConfig],
  ];
  const started = Date.now();
  const marks: [string, number][] = [];
  const child = spawn("/usr/bin/time", ["-f", "%U %S", process.execPath, ...argv], {
    env: { ...process.env, CHECKPOINT_DISABLE: "1", CDKTF_LIBVIRT_SPEC: specFile },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
    for (const line of chunk.toString().split("\n")) {
      const step = /^\[deploy\] \$ \S+?(?:tofu|terraform|node)\S* (\S+)/.exec(line);
      if (step) marks.push([/main\.js$/.test(step[1]) ? "synth" : step[1], (Date.now() - started) / 1000]);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const wall = (Date.now() - started) / 1000;
  if (code !== 0) throw new Error(`deploy exited ${code}:\n${stderr.slice(-4000)}`);
  const [user, sys] = stderr.trim().split("\n").pop()!.split(" ").map(Number);
  const steps: Record<string, number> = {};
  // a step deploy runs twice (the plan after the provider's runtime-id error) is listed twice
  marks.forEach(([name, at], i) => (steps[name in steps ? `${name} again` : name] = (marks[i + 1]?.[1] ?? wall) - at));
  return { wall, cpu: user + sys, steps };
}

/** The same work by hand: synth once (not timed), then init, plan and apply the plan with the bare binary. */
function bareTofu(dir: string, parts: Parts, cliConfig: string, spec: object, phase: Phase): BareTiming {
  const stack = Object.keys((spec as { stacks: object }).stacks)[0];
  const synthDir = path.join(dir, `${stack}-synth`);
  run(process.execPath, [path.join(ROOT, "dist/main.js")], { env: { ...process.env, CDKTF_LIBVIRT_SPEC: writeSpec(dir, spec), CDKTF_OUTDIR: synthDir } });
  const work = path.join(dir, `${stack}-bare`);
  fs.mkdirSync(path.join(work, "tmp"), { recursive: true });
  fs.copyFileSync(path.join(synthDir, "stacks", stack, "cdk.tf.json"), path.join(work, "cdk.tf.json"));
  const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_CLI_CONFIG_FILE: cliConfig, TMPDIR: path.join(work, "tmp") };
  const steps: Record<string, number> = {};
  let wall = 0;
  let cpu = 0;
  const tofu = (name: string, args: string[], ok: number[] = [0]) => {
    const started = Date.now();
    const r = spawnSync("/usr/bin/time", ["-f", "%U %S", parts.binary, ...args, "-no-color"], { cwd: work, env, encoding: "utf8", maxBuffer: 64 << 20 });
    const seconds = (Date.now() - started) / 1000;
    if (!ok.includes(r.status ?? -1)) throw new Error(`${parts.binary} ${args.join(" ")} exited ${r.status}:\n${r.stderr.slice(-4000)}`);
    const [user, sys] = r.stderr.trim().split("\n").pop()!.split(" ").map(Number);
    steps[name] = seconds;
    wall += seconds;
    cpu += user + sys;
    return r.status;
  };
  if (phase === "first apply") tofu("init", ["init", "-input=false", `-plugin-dir=${parts.providerDir}`, "-backend-config=path=terraform.tfstate"]);
  const planned = tofu("plan", ["plan", "-input=false", "-detailed-exitcode", "-out=tfplan"], [0, 2]);
  // a memory change of a running domain: provider 0.9.7's apply exits 1 (the runtime-id bug) although the
  // change happened; deploy plans again to show that, bare tofu just reports the error
  const applied = planned === 2 ? tofu("apply", ["apply", "-input=false", "tfplan"], phase === "one memory change" ? [0, 1] : [0]) : 0;
  return { wall, cpu, steps, ...(applied === 1 && { failed: "apply exited 1 (the provider's runtime-id bug)" }) };
}

/** The results as a Markdown table, with deploy's time over bare tofu's as a ratio. */
export function renderDeployBench(results: SizeResult[], parts: Parts): string {
  const lines = [
    "# Deploy beside bare tofu (`npm run bench:deploy`)",
    "",
    `One run on the lab: ${path.basename(parts.binary)} (${parts.binary}), dmacvicar/libvirt ${parts.providerVersions.join(", ")}, libvirt in a network namespace, domains under TCG booting nothing. ` +
      "Bare tofu runs init (first apply only), `plan -out` and `apply` of the same JSON by hand; deploy adds synth, `version`, `show -json`, the check and a state backup. Wall seconds; CPU is user + system of the tools and the provider.",
    "",
    "| VMs | phase | deploy | bare tofu | ratio | deploy CPU | bare CPU | deploy's steps |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const r of results) {
    for (const phase of PHASES) {
      const d = r.deploy[phase];
      const b = r.bare[phase];
      const steps = Object.entries(d.steps)
        .map(([name, s]) => `${name} ${s.toFixed(1)}`)
        .join(", ");
      const bare = `${b.wall.toFixed(1)} s${b.failed ? ` (${b.failed})` : ""}`;
      lines.push(`| ${r.vms} | ${phase} | ${d.wall.toFixed(1)} s | ${bare} | ${(d.wall / b.wall).toFixed(2)}x | ${d.cpu.toFixed(1)} s | ${b.cpu.toFixed(1)} s | ${steps} |`);
    }
  }
  const largest = results[results.length - 1];
  if (largest) {
    const plan = largest.bare["first apply"].steps.plan;
    lines.push("", `Planning the first apply of ${largest.vms} domains takes ${plan?.toFixed(1)} s wall in bare tofu (${(plan / largest.vms).toFixed(2)} s per domain).`);
  }
  return `${lines.join("\n")}\n`;
}

// Runs the project's own cdktf-libvirt-deploy on a spec, the way the NixOS unit does: synthesize with
// `node dist/main.js` (CDKTF_LIBVIRT_SPEC), then plan and apply with the real binary and the provider
// from the plugin directory, with state in a directory of the scenario's own.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Lab } from "./lab";
import { currentParts, ROOT, type Parts } from "./parts";

export interface DeployRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr as they came, interleaved. */
  readonly output: string;
  readonly seconds: number;
}

export type Spec = Record<string, unknown>;

/** One stack of one scenario: its spec file, synth output and state directory under the lab's run dir. */
export class Deployment {
  public readonly dir: string;
  public readonly specFile: string;
  public readonly synthDir: string;
  public readonly stateDir: string;
  public readonly parts: Parts = currentParts();
  public readonly runs: DeployRun[] = [];

  constructor(
    lab: Lab,
    public readonly stack: string,
  ) {
    this.dir = fs.mkdtempSync(path.join(lab.runDir, `${stack}-`));
    this.specFile = path.join(this.dir, "spec.json");
    this.synthDir = path.join(this.dir, "synth");
    this.stateDir = path.join(this.dir, "state");
  }

  public get stateFile(): string {
    return path.join(this.stateDir, this.stack, "terraform.tfstate");
  }

  /** Writes the spec, then runs deploy with these extra flags; resolves when deploy exits. */
  public deploy(spec: Spec, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<DeployRun> {
    fs.writeFileSync(this.specFile, `${JSON.stringify(spec, null, 2)}\n`);
    const emptyCliConfig = path.join(this.dir, "empty.tfrc");
    fs.writeFileSync(emptyCliConfig, "");
    const argv = [
      path.join(ROOT, "dist/deploy/main.js"),
      "--app-dir", ROOT,
      "--synth-dir", this.synthDir,
      "--synth-command", `${process.execPath} ${path.join(ROOT, "dist/main.js")}`,
      "--state-dir", this.stateDir,
      "--stack", this.stack,
      "--binary", this.parts.binary,
      "--plugin-dir", this.parts.providerDir,
      "--cli-config", emptyCliConfig,
      ...args,
    ];
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, argv, {
        cwd: this.dir,
        env: { ...process.env, CHECKPOINT_DISABLE: "1", CDKTF_LIBVIRT_SPEC: this.specFile, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      let output = "";
      child.stdout.on("data", (c: Buffer) => ((stdout += c), (output += c)));
      child.stderr.on("data", (c: Buffer) => ((stderr += c), (output += c)));
      child.on("error", reject);
      child.on("close", (code) => {
        const result = { code, stdout, stderr, output, seconds: (Date.now() - started) / 1000 };
        this.runs.push(result);
        fs.appendFileSync(path.join(this.dir, "deploy.log"), `\n===== deploy ${args.join(" ")} -> ${code} (${result.seconds} s)\n${output}`);
        resolve(result);
      });
    });
  }

  /** The outputs in the state file (the VM outputs: name, macs, addresses). */
  public outputs(): Record<string, any> {
    const state = JSON.parse(fs.readFileSync(this.stateFile, "utf8"));
    return Object.fromEntries(Object.entries(state.outputs ?? {}).map(([k, v]: [string, any]) => [k, v.value]));
  }
}

/** A one-stack, one-host spec over the lab: the guest image as base image, the lab's br0, emulated domains. */
export function labSpec(stack: string, host: Record<string, unknown>, parts: Parts = currentParts()): Spec {
  const { images, networks, ...rest } = host as { images?: object; networks?: object };
  return {
    stacks: {
      [stack]: {
        hosts: {
          local: {
            images: { debian: { source: parts.guestImage, name: `${stack}-debian.qcow2` }, ...images },
            networks: { br0: { type: "host-bridge", bridge: "br0" }, ...networks },
            ...rest,
          },
        },
      },
    },
  };
}

/** VM settings every lab guest needs: emulated (no KVM here) and small. */
export const LAB_VM = { domainType: "qemu", image: "debian", memory: "1024 MiB" } as const;

/** Fails with the deploy's output unless it exited with `code`. */
export function expectExit(run: DeployRun, code: number): void {
  if (run.code !== code) throw new Error(`deploy exited ${run.code}, expected ${code}:\n${run.output.slice(-6000)}`);
}

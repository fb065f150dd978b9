// The user's whole path, side by side in one run, at 10, 100 and 1000 VMs: (a) the spec path the NixOS
// unit runs (CDKTF_LIBVIRT_SPEC=<fleet spec> node main.js), (b) a TypeScript app of the same fleet through
// `cdktf synth`, and (c) terranix evaluating the same fleet (bench/terranix/fleet.nix; its JSON is the
// constructs' apart from cdktf's metadata), when a terranix and a nixpkgs lib checkout are given.
// Each a fresh process: wall time and peak RSS from GNU time.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface WholeStat {
  readonly wallMs: number[];
  readonly maxRssMB: number[];
}

export interface WholeResults {
  readonly terranix?: string;
  readonly sizes: Record<number, { spec: WholeStat; cdktfSynth: WholeStat; terranix?: WholeStat }>;
}

const TIME = "/usr/bin/time";

/** The benchmark's fleet as a spec: what bench/stacks.ts's FleetStack declares. */
export function fleetSpec(vms: number): object {
  return {
    stacks: {
      [`fleet-${vms}`]: {
        hosts: {
          local: {
            images: { debian: { source: "/var/lib/libvirt/images/debian-12.qcow2" } },
            networks: { br0: { type: "host-bridge", bridge: "br0" } },
            vms: Object.fromEntries(
              Array.from({ length: vms }, (_, i) => [`vm-${i}`, { image: "debian", memory: "2048 MiB", vcpus: 1, systemDiskSize: "100 GiB", interfaces: [{ network: "br0" }] }]),
            ),
          },
        },
      },
    },
  };
}

/** The nix-instantiate expression that evaluates the terranix fleet of `vms` VMs to JSON. */
export function terranixExpression(terranix: string, nixpkgsLib: string, fleetNix: string, vms: number): string {
  return `(import ${path.join(terranix, "core/default.nix")} { pkgs = { lib = import ${path.join(nixpkgsLib, "lib")}; }; modules = [ (import ${fleetNix} { count = ${vms}; }) ]; }).config`;
}

function timed(file: string, args: string[], env: NodeJS.ProcessEnv, stdout?: string): { wallMs: number; maxRssMB: number } {
  const rss = `${stdout ?? "/tmp/cdktf-libvirt-bench"}.rss`;
  const started = process.hrtime.bigint();
  const out = stdout ? fs.openSync(stdout, "w") : "ignore";
  const r = spawnSync(TIME, ["-f", "%M", "-o", rss, file, ...args], { env, stdio: ["ignore", out, "pipe"], maxBuffer: 1 << 26 });
  if (typeof out === "number") fs.closeSync(out);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${file} ${args.join(" ")} exited ${r.status}: ${String(r.stderr).slice(-2000)}`);
  const maxRssMB = Number(fs.readFileSync(rss, "utf8").trim().split("\n").pop()) / 1024;
  fs.rmSync(rss, { force: true });
  return { wallMs, maxRssMB };
}

export interface WholeOptions {
  readonly runs: number;
  readonly sizes: number[];
  readonly work: string;
  readonly jsRoot: string;
  readonly cdktf: string;
  readonly cdktfProject: string;
  readonly terranix?: { readonly dir: string; readonly nixpkgsLib: string; readonly fleetNix: string };
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
}

export function wholeProcess(o: WholeOptions): WholeResults {
  const results: WholeResults = { terranix: o.terranix?.dir, sizes: {} };
  for (const vms of o.sizes) {
    const specFile = path.join(o.work, `fleet-${vms}.spec.json`);
    fs.writeFileSync(specFile, JSON.stringify(fleetSpec(vms)));
    const outdir = path.join(o.work, `whole-${vms}`);
    const collect = (run: () => { wallMs: number; maxRssMB: number }): WholeStat => {
      const runs = Array.from({ length: o.runs }, run);
      return { wallMs: runs.map((r) => r.wallMs), maxRssMB: runs.map((r) => r.maxRssMB) };
    };
    const entry: WholeResults["sizes"][number] = {
      spec: collect(() => timed(process.execPath, [path.join(o.jsRoot, "main.js")], { ...o.env, CDKTF_LIBVIRT_SPEC: specFile, CDKTF_OUTDIR: outdir })),
      cdktfSynth: collect(() =>
        timed(o.cdktf, ["synth", "--app", `node ${path.join(o.jsRoot, "bench", "app.js")}`, "--output", outdir], { ...o.env, BENCH_KIND: "fleet", BENCH_VMS: String(vms) }),
      ),
    };
    if (o.terranix) {
      const t = o.terranix;
      entry.terranix = collect(() => timed("nix-instantiate", ["--eval", "--strict", "--json", "-E", terranixExpression(t.dir, t.nixpkgsLib, t.fleetNix, vms)], o.env, path.join(o.work, `terranix-${vms}.json`)));
    }
    fs.rmSync(outdir, { recursive: true, force: true });
    const m = (s: WholeStat | undefined) => (s ? `${(median(s.wallMs) / 1000).toFixed(2)} s, ${median(s.maxRssMB).toFixed(0)} MB` : "–");
    o.log(`  whole process, ${vms} VMs: spec path ${m(entry.spec)}; cdktf synth ${m(entry.cdktfSynth)}; terranix ${m(entry.terranix)}`);
    results.sizes[vms] = entry;
  }
  return results;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

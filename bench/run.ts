// `npm run bench`: how fast stacks of 1 to 1000 VMs synthesize, in-process and through `cdktf synth`,
// against a baseline written directly against the bindings, plus the cost of compiling .gen/, `npm test`
// and `npm ci`. Writes bench/results/<label>.json, results.md and synth-time.svg. See bench/README.md.
//
//   npm run bench                              everything, 3 runs per measurement (~1.5 min)
//   npm run bench -- --quick                   synth only: no compile, npm test, npm ci (~45 s)
//   npm run bench -- --runs 5 --sizes 10,100   more runs, other sizes
//   npm run bench -- --skip ci,test            leave out sections: inprocess,baseline,cli,default,whole,compile,test,ci
//   npm run bench -- --bindings eager          the generator's unmodified bindings ("before"; slow at 1000 VMs)
//   npm run bench -- --report                  only re-render results.md and the chart from the JSON files
//   npm run bench -- --terranix DIR --nixpkgs-lib DIR   also terranix evaluating the same fleet (checkouts, not committed)
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs as parseCliArgs } from "util";
import { buildJs, GEN_CACHE, ROOT, WORK } from "./build";
import { ensureEagerBindings } from "./eager";
import { CliStat, Label, render, Results, RunStat, SECTIONS, Section, Stat } from "./report";
import { wholeProcess } from "./whole-process";

const RESULTS = path.join(ROOT, "bench", "results");
const CDKTF = path.join(ROOT, "node_modules", ".bin", "cdktf");
const TIME = "/usr/bin/time";

interface Options {
  runs: number;
  sizes: number[];
  bindings: "lazy" | "eager";
  label: Label;
  skip: Set<Section>;
  reportOnly: boolean;
  terranix?: { dir: string; nixpkgsLib: string };
}

function parseArgs(argv: string[]): Options {
  const { values } = parseCliArgs({
    args: argv,
    strict: true,
    options: {
      runs: { type: "string", default: "3" },
      sizes: { type: "string", default: "1,10,100,1000" },
      bindings: { type: "string", default: "lazy" },
      label: { type: "string" },
      skip: { type: "string", default: "" },
      quick: { type: "boolean", default: false },
      report: { type: "boolean", default: false },
      terranix: { type: "string" },
      "nixpkgs-lib": { type: "string" },
    },
  });
  if ((values.terranix === undefined) !== (values["nixpkgs-lib"] === undefined)) throw new Error("--terranix and --nixpkgs-lib go together: checkouts of terranix and of nixpkgs' lib");
  const bindings = values.bindings as Options["bindings"];
  if (bindings !== "lazy" && bindings !== "eager") throw new Error(`--bindings must be lazy or eager (got ${bindings})`);
  const skip = new Set(values.skip.split(",").filter(Boolean) as Section[]);
  for (const s of skip) if (!SECTIONS.includes(s)) throw new Error(`--skip: unknown section "${s}" (one of ${SECTIONS.join(", ")})`);
  if (values.quick) ["compile", "test", "ci"].forEach((s) => skip.add(s as Section));
  // npm test and npm ci measure the work tree as it is, not a choice of bindings
  if (bindings === "eager") ["test", "ci"].forEach((s) => skip.add(s as Section));
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number >= 1`);
  const sizes = values.sizes.split(",").map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 0)) throw new Error(`--sizes must be whole numbers, e.g. 1,10,100,1000`);
  return {
    runs,
    sizes,
    bindings,
    label: (values.label as Label | undefined) ?? (bindings === "eager" ? "before" : "after"),
    skip,
    reportOnly: values.report,
    terranix: values.terranix === undefined ? undefined : { dir: path.resolve(values.terranix), nixpkgsLib: path.resolve(values["nixpkgs-lib"]!) },
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function stat(samples: number[]): Stat {
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), samples };
}

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

function check(result: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
  if (result.error) throw new Error(`${what}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${what} exited with ${result.status}:\n${(result.stderr || "").slice(-3000)}\n${(result.stdout || "").slice(-2000)}`);
  }
  return result;
}

const ENV = { ...process.env, CHECKPOINT_DISABLE: "1", FORCE_COLOR: "0" };

/** One in-process measurement: a fresh node process that loads, builds and synthesizes. */
function measureInProcess(jsRoot: string, kind: string, vms: number, outdir?: string): RunStat {
  const started = process.hrtime.bigint();
  const args = [path.join(jsRoot, "bench", "measure.js"), kind, String(vms), ...(outdir ? [outdir] : [])];
  const r = check(spawnSync(process.execPath, args, { encoding: "utf8", env: ENV, maxBuffer: 1 << 24 }), `measure ${kind} ${vms}`);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { ...JSON.parse(r.stdout.trim().split("\n").pop()!), wallMs };
}

function inProcess(opts: Options, jsRoot: string, results: Results): void {
  const kinds = ["fleet", ...(opts.skip.has("baseline") ? [] : ["baseline"])];
  // the baseline is only a baseline if it synthesizes what the constructs synthesize: the first run of
  // the largest stack keeps its output for the comparison
  const largest = Math.max(...opts.sizes);
  const kept = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-libvirt-bench-cmp-"));
  try {
    for (const kind of kinds) {
      results.inprocess[kind] = {};
      for (const vms of opts.sizes) {
        const runs: RunStat[] = [];
        for (let i = 0; i < opts.runs; i++) runs.push(measureInProcess(jsRoot, kind, vms, vms === largest && i === 0 ? path.join(kept, kind) : undefined));
        const entry = {
          totalMs: stat(runs.map((r) => r.totalMs)),
          loadMs: stat(runs.map((r) => r.loadMs)),
          buildMs: stat(runs.map((r) => r.buildMs)),
          synthMs: stat(runs.map((r) => r.synthMs)),
          wallMs: stat(runs.map((r) => r.wallMs)),
          maxRssMB: stat(runs.map((r) => r.maxRssMB)),
          bytes: runs[0].bytes,
        };
        results.inprocess[kind][vms] = entry;
        log(`  in-process ${kind.padEnd(8)} ${String(vms).padStart(5)} VMs: ${entry.totalMs.median.toFixed(0)} ms, ${entry.maxRssMB.median.toFixed(0)} MB`);
      }
    }
    if (kinds.includes("baseline")) {
      const read = (k: string) => fs.readFileSync(path.join(kept, k, "stacks", `fleet-${largest}`, "cdk.tf.json"), "utf8");
      results.baselineIdentical = read("fleet") === read("baseline");
      results.baselineCheckedAt = largest;
      if (!results.baselineIdentical) log("  note: the baseline's JSON differs from the constructs' (bench/baseline-app.ts needs updating)");
    }
  } finally {
    fs.rmSync(kept, { recursive: true, force: true });
  }
}

/** A scratch cdktf project whose cdktf.json is the app's (the apps it runs load the bindings measured). */
function cliProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-libvirt-bench-cli-"));
  fs.copyFileSync(path.join(ROOT, "cdktf.json"), path.join(dir, "cdktf.json"));
  return dir;
}

function measureCli(project: string, app: string, env: Record<string, string>): { wallMs: number; maxRssMB: number } {
  const out = fs.mkdtempSync(path.join(project, "out-"));
  const rssFile = path.join(project, "rss.txt");
  const useTime = fs.existsSync(TIME);
  const cmd = useTime ? TIME : CDKTF;
  const args = [...(useTime ? ["-f", "%M", "-o", rssFile, CDKTF] : []), "synth", "--app", app, "--output", out];
  const started = process.hrtime.bigint();
  check(spawnSync(cmd, args, { cwd: project, encoding: "utf8", env: { ...ENV, ...env }, maxBuffer: 1 << 24 }), `cdktf synth (${app})`);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  // GNU time's %M is the peak RSS in KiB of the largest process of the tree (the CLI or the app)
  const maxRssMB = useTime ? Number(fs.readFileSync(rssFile, "utf8").trim().split("\n").pop()) / 1024 : NaN;
  fs.rmSync(out, { recursive: true, force: true });
  return { wallMs, maxRssMB };
}

function cli(opts: Options, jsRoot: string, results: Results): void {
  const project = cliProject();
  try {
    const runCase = (name: string, app: string, env: Record<string, string>): CliStat => {
      const runs = Array.from({ length: opts.runs }, () => measureCli(project, app, env));
      const entry = { wallMs: stat(runs.map((r) => r.wallMs)), maxRssMB: stat(runs.map((r) => r.maxRssMB)) };
      log(`  cdktf synth ${name.padEnd(14)}: ${entry.wallMs.median.toFixed(0)} ms, ${entry.maxRssMB.median.toFixed(0)} MB`);
      return entry;
    };
    const benchApp = `node ${path.join(jsRoot, "bench", "app.js")}`;
    results.cli.empty = runCase("trivial app", benchApp, { BENCH_KIND: "empty", BENCH_VMS: "0" });
    if (!opts.skip.has("default")) {
      // main.ts without a spec: the built-in testvm example, i.e. what `npm run synth` produces
      results.cli.default = runCase("default stack", `node ${path.join(jsRoot, "main.js")}`, {});
    }
    if (!opts.skip.has("cli")) {
      results.cli.fleet = {};
      for (const vms of opts.sizes) {
        results.cli.fleet[vms] = runCase(`${vms} VMs`, benchApp, { BENCH_KIND: "fleet", BENCH_VMS: String(vms) });
      }
    }
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

function compile(opts: Options, results: Results): void {
  const out = path.join(GEN_CACHE, "gen-timing");
  const args = [path.join(ROOT, "packages", "cdktf-libvirt", "scripts", "generate-bindings.js"), "--force", "--out", out, ...(opts.bindings === "eager" ? ["--eager"] : [])];
  const started = process.hrtime.bigint();
  const r = check(spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", env: ENV }), "generate-bindings");
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  fs.rmSync(out, { recursive: true, force: true });
  const m = /phases: generate (\d+) ms, post-process (\d+) ms, compile (\d+) ms/.exec(r.stdout);
  if (!m) throw new Error(`generate-bindings printed no phases line:\n${r.stdout}`);
  results.compile = { totalMs, generateMs: Number(m[1]), postProcessMs: Number(m[2]), compileMs: Number(m[3]) };
  log(`  .gen: compile ${m[3]} ms (generate ${m[1]} ms, post-process ${m[2]} ms, total ${totalMs.toFixed(0)} ms)`);
}

function npmTest(results: Results): void {
  const started = process.hrtime.bigint();
  const r = spawnSync("npm", ["test", "--silent"], { cwd: ROOT, encoding: "utf8", env: ENV, maxBuffer: 1 << 26 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const summary = /^Tests:.*$/m.exec(r.stderr + r.stdout)?.[0] ?? "";
  results.npmTest = { wallMs, ok: r.status === 0, summary };
  log(`  npm test: ${wallMs.toFixed(0)} ms, ${r.status === 0 ? "passed" : `FAILED (${r.status})`} ${summary}`);
}

function npmCi(results: Results): void {
  // a scratch copy of what `npm ci` needs (a git clone would miss uncommitted work)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-libvirt-bench-ci-"));
  try {
    for (const f of ["package.json", "package-lock.json", "cdktf.json"]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    // the library, whose build (bindings and lib/) is the install's postinstall; not its build outputs
    const library = path.join(ROOT, "packages", "cdktf-libvirt");
    fs.cpSync(library, path.join(dir, "packages", "cdktf-libvirt"), {
      recursive: true,
      filter: (src) => ![".gen", "lib"].includes(path.relative(library, src).split(path.sep)[0]),
    });
    const started = process.hrtime.bigint();
    const r = spawnSync("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: dir, encoding: "utf8", env: ENV, maxBuffer: 1 << 26 });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const m = /phases: generate (\d+) ms, post-process (\d+) ms, compile (\d+) ms/.exec(r.stdout + r.stderr);
    results.npmCi = { wallMs, ok: r.status === 0, postinstallCompileMs: m ? Number(m[3]) : undefined };
    log(`  npm ci: ${wallMs.toFixed(0)} ms, ${r.status === 0 ? "ok" : `FAILED (${r.status}): ${(r.stderr || "").slice(-500)}`}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function gitCommit(): string {
  const r = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" });
  const dirty = spawnSync("git", ["status", "--porcelain"], { cwd: ROOT, encoding: "utf8" }).stdout.trim() ? "+wip" : "";
  return r.status === 0 ? r.stdout.trim() + dirty : "unknown";
}

function loadResults(label: Label): Results | undefined {
  const file = path.join(RESULTS, `${label}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Results) : undefined;
}

function writeReport(): void {
  const { markdown, svg } = render(loadResults("after"), loadResults("before"));
  fs.writeFileSync(path.join(RESULTS, "results.md"), markdown);
  fs.writeFileSync(path.join(RESULTS, "synth-time.svg"), svg);
  process.stdout.write(markdown);
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  fs.mkdirSync(RESULTS, { recursive: true });
  if (opts.reportOnly) return writeReport();

  const started = Date.now();
  log(`bench: ${opts.bindings} bindings, label "${opts.label}", ${opts.runs} run(s), sizes ${opts.sizes.join(", ")}, skipping ${[...opts.skip].join(", ") || "nothing"}`);
  const genDir = opts.bindings === "eager" ? ensureEagerBindings() : path.join(ROOT, "packages", "cdktf-libvirt", ".gen");
  if (!fs.existsSync(path.join(genDir, "providers", "libvirt"))) throw new Error(`no bindings in ${genDir}: run npm run get`);
  const jsRoot = path.join(WORK, `js-${opts.label}`);
  buildJs(jsRoot, genDir);

  const results: Results = {
    label: opts.label,
    bindings: opts.bindings,
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? "?"}`,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    runs: opts.runs,
    sizes: opts.sizes,
    inprocess: {},
    cli: {},
  };
  if (!opts.skip.has("inprocess")) inProcess(opts, jsRoot, results);
  if (!(opts.skip.has("cli") && opts.skip.has("default"))) cli(opts, jsRoot, results);
  if (!opts.skip.has("whole")) {
    const project = cliProject();
    try {
      results.whole = wholeProcess({
        runs: opts.runs,
        sizes: opts.sizes.filter((n) => n >= 10),
        work: project,
        jsRoot,
        cdktf: CDKTF,
        cdktfProject: project,
        terranix: opts.terranix && { ...opts.terranix, fleetNix: path.join(ROOT, "bench", "terranix", "fleet.nix") },
        env: ENV,
        log,
      });
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  }
  if (!opts.skip.has("compile")) compile(opts, results);
  if (!opts.skip.has("test")) npmTest(results);
  if (!opts.skip.has("ci")) npmCi(results);
  results.benchSeconds = Math.round((Date.now() - started) / 1000);

  // keep sections this run skipped from the previous results of the same label, marked as such
  const previous = loadResults(opts.label);
  if (previous) {
    for (const key of ["compile", "npmTest", "npmCi"] as const) {
      if (results[key] === undefined && previous[key] !== undefined) results[key] = { ...previous[key], stale: previous.date } as never;
    }
    const kept: string[] = [];
    const keep = (section: Section, has: unknown, copy: () => void) => {
      if (opts.skip.has(section) && has !== undefined) {
        copy();
        kept.push(section);
      }
    };
    keep("inprocess", previous.inprocess.fleet, () => (results.inprocess.fleet = previous.inprocess.fleet));
    keep("baseline", previous.inprocess.baseline, () => {
      results.inprocess.baseline = previous.inprocess.baseline;
      results.baselineIdentical = previous.baselineIdentical;
      results.baselineCheckedAt = previous.baselineCheckedAt;
    });
    keep("cli", previous.cli.fleet, () => (results.cli.fleet = previous.cli.fleet));
    keep("default", previous.cli.default, () => (results.cli.default = previous.cli.default));
    if (opts.skip.has("cli") && opts.skip.has("default") && previous.cli.empty) results.cli.empty = previous.cli.empty;
    if (kept.length > 0) results.kept = { from: previous.date, sections: kept };
  }
  fs.writeFileSync(path.join(RESULTS, `${opts.label}.json`), JSON.stringify(results, null, 2) + "\n");
  log(`bench: done in ${results.benchSeconds} s; wrote bench/results/${opts.label}.json`);
  writeReport();
}

try {
  main();
} catch (err) {
  console.error(`bench: ${(err as Error).stack ?? err}`);
  process.exit(1);
}

// One measurement, in its own process (so that its peak RSS is its own): loads the app's modules,
// builds a stack of N VMs, synthesizes it, and prints one JSON line with the timings.
//   node bench/work/js-<label>/bench/measure.js <fleet|baseline|empty> <vms> [outdir]
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const started = process.hrtime.bigint();
const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

const [kind, vmsText, outdirArg] = process.argv.slice(2);
const vms = Number(vmsText ?? 0);
const outdir = outdirArg ?? fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-libvirt-bench-"));

const load = process.hrtime.bigint();
// the modules are part of the measured cost: a CLI synth loads them too
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { App } = require("cdktf") as typeof import("cdktf");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const apps = require("./apps") as typeof import("./apps");
const loadMs = ms(load);

const build = process.hrtime.bigint();
const app = new App({ outdir });
apps.buildStack(app, kind as import("./apps").BenchKind, vms);
const buildMs = ms(build);

const synth = process.hrtime.bigint();
app.synth();
const synthMs = ms(synth);
// from process start (not node's own start-up, which `cdktf synth` numbers include) to written JSON,
// before the cleanup below
const totalMs = ms(started);

const file = path.join(outdir, "stacks", apps.stackId(kind as import("./apps").BenchKind, vms), "cdk.tf.json");
const bytes = fs.existsSync(file) ? fs.statSync(file).size : 0;
if (!outdirArg) fs.rmSync(outdir, { recursive: true, force: true });
const result = {
  kind,
  vms,
  loadMs,
  buildMs,
  synthMs,
  totalMs,
  maxRssMB: process.resourceUsage().maxRSS / 1024,
  bytes,
};
process.stdout.write(JSON.stringify(result) + "\n");

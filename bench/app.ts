// The app `cdktf synth` runs in the benchmark (bench/run.ts writes a cdktf.json pointing at the
// transpiled copy of this file): BENCH_KIND (fleet | baseline | empty) with BENCH_VMS VMs.
import { App } from "cdktf";
import { BenchKind, buildStack } from "./apps";

const app = new App();
buildStack(app, (process.env.BENCH_KIND ?? "fleet") as BenchKind, Number(process.env.BENCH_VMS ?? 1000));
app.synth();

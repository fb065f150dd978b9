// Writes the golden files that __tests__/bench/synth-golden.test.ts compares against, synthesized with
// the generator's UNMODIFIED bindings (`packages/cdktf-libvirt/scripts/generate-bindings.js --eager`, kept in node_modules/.cache/), so
// that the test proves the post-processed bindings in .gen/ synthesize the same bytes; and with cdktf's own
// resolver, JSON writer and stack traces (CDKTF_LIBVIRT_PLAIN_RESOLVE=0, CDKTF_LIBVIRT_STACK_JSON=0,
// CDKTF_LIBVIRT_STACK_TRACES=1), so that it proves the same of LibvirtStack's synthesis path
// (constructs/plain-resolve.ts, constructs/stack-json.ts, constructs/untraced.ts):
//   npx ts-node --transpile-only bench/golden.ts
// Regenerate them when the constructs (or bench/stacks.ts) change the JSON on purpose; never to make a
// change of packages/cdktf-libvirt/scripts/generate-bindings.js pass.
import * as fs from "fs";
import * as path from "path";
import { buildJs, WORK } from "./build";
import { ensureEagerBindings } from "./eager";
import type * as Stacks from "./stacks";
import type * as Baseline from "./baseline-app";
import type * as KitchenSink from "./kitchen-sink";

const dir = path.join(__dirname, "..", "__tests__", "bench", "golden");

export function writeGoldens(): void {
  const eagerGen = ensureEagerBindings();
  const jsRoot = path.join(WORK, "js-golden");
  buildJs(jsRoot, eagerGen);
  // read when the modules load, below
  process.env.CDKTF_LIBVIRT_PLAIN_RESOLVE = "0";
  process.env.CDKTF_LIBVIRT_STACK_JSON = "0";
  process.env.CDKTF_LIBVIRT_STACK_TRACES = "1";
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const stacks = require(path.join(jsRoot, "bench", "stacks.js")) as typeof Stacks;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const baseline = require(path.join(jsRoot, "bench", "baseline-app.js")) as typeof Baseline;
  fs.mkdirSync(dir, { recursive: true });
  const write = (name: string, json: string) => {
    fs.writeFileSync(path.join(dir, name), json);
    console.log(`wrote ${path.relative(process.cwd(), path.join(dir, name))} (${json.length} bytes)`);
  };
  for (const { kind, vms } of stacks.GOLDEN_STACKS) write(`${kind}-${vms}.json`, stacks.synthStackJson(kind, vms));
  write("baseline-10.json", stacks.synthStackJson("fleet", 10, (app, id) => new baseline.BaselineFleetStack(app, id, 10)));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sink = require(path.join(jsRoot, "bench", "kitchen-sink.js")) as typeof KitchenSink;
  write("kitchen-sink.json", stacks.synthJson("kitchen-sink", (app, id) => new sink.KitchenSinkStack(app, id)));
}

if (require.main === module) writeGoldens();

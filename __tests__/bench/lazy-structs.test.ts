// The domain's nested-block types are one module each, loaded when first used (packages/cdktf-libvirt/scripts/generate-bindings.js,
// step 4): a stack pays for the few dozen it uses, not for ~7 MB of code. If this fails after a generator
// or post-processing change, the JSON is still right (the golden test says so), synthesis is just slower.
import { spawnSync } from "child_process";
import { readdirSync } from "fs";
import { join, resolve } from "path";

const root = resolve(__dirname, "..", "..");
const structsDir = join(root, "packages", "cdktf-libvirt", ".gen", "providers", "libvirt", "domain", "index-structs");

// in a fresh node process: jest's module registry is not node's require cache
const script = `
const loaded = () => Object.keys(require.cache).filter((file) => file.includes("/index-structs/")).length;
const { App } = require("cdktf");
require("./packages/cdktf-libvirt/.gen/providers/libvirt/domain");
const atLoad = loaded();
const { FleetStack } = require("./bench/stacks");
const app = new App({ outdir: require("fs").mkdtempSync(require("path").join(require("os").tmpdir(), "lazy-structs-")) });
new FleetStack(app, "fleet", 10);
app.synth();
require("fs").rmSync(app.outdir, { recursive: true, force: true });
console.log(JSON.stringify({ atLoad, afterSynth: loaded() }));
`;

test("loading the domain binding loads only the struct index; a fleet synthesizes with a few dozen struct modules", () => {
  const modules = readdirSync(structsDir).filter((file) => file.endsWith(".js") && file !== "index.js").length;
  expect(modules).toBeGreaterThan(1000);
  const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
    cwd: root,
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
  expect(run.stderr).toBe("");
  const { atLoad, afterSynth } = JSON.parse(run.stdout) as { atLoad: number; afterSynth: number };
  expect(atLoad).toBe(1);
  expect(afterSynth).toBeGreaterThan(1);
  expect(afterSynth).toBeLessThan(60);
});

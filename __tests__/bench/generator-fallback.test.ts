// When the generator's output is not what the post-processing knows (another generator version), the
// bindings are written as the generator made them, with a warning, not an abort: the same JSON, a slower
// synth. Shown on a copy of the generator script whose post-processing recognizes nothing.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const LIBRARY = path.join(ROOT, "packages", "cdktf-libvirt");
// below the repository, so that the copy resolves the generator and cdktf from node_modules
const WORK = path.join(ROOT, "node_modules", ".cache", "cdktf-libvirt-generator-fallback");

afterAll(() => fs.rmSync(WORK, { recursive: true, force: true }));

test("a post-processing that finds its shapes changed falls back to the generator's own bindings", () => {
  fs.rmSync(WORK, { recursive: true, force: true });
  for (const part of ["scripts", "schemas", "src", "cdktf.json"]) fs.cpSync(path.join(LIBRARY, part), path.join(WORK, part), { recursive: true });
  const script = path.join(WORK, "scripts", "generate-bindings.js");
  const source = fs.readFileSync(script, "utf8");
  const sabotaged = source.replace(/^const EAGER_REFERENCE = .*$/m, "const EAGER_REFERENCE = /^a shape no generator writes$/gm;");
  expect(sabotaged).not.toBe(source);
  fs.writeFileSync(script, sabotaged);
  const out = path.join(WORK, "out");
  const r = spawnSync(process.execPath, [script, "--force", "--out", out], { cwd: WORK, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/generate-bindings: warning: post-processing found nothing to change .*; the generator's output changed shape; writing the bindings as the generator made them \(the same JSON, a slower synth\)/);
  expect(r.stdout).toContain("(unmodified (--eager)");
  expect(fs.existsSync(path.join(out, "providers", "libvirt", "domain", "index.js"))).toBe(true);
}, 120_000);

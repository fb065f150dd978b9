// The generator's unmodified bindings ("before"), kept in node_modules/.cache/cdktf-libvirt-bench/gen-eager.
import { execFileSync } from "child_process";
import * as path from "path";
import { GEN_CACHE, ROOT } from "./build";

export const EAGER_GEN = path.join(GEN_CACHE, "gen-eager");

/** Generates them unless it is up to date (the script checks its inputs). Returns its path. */
export function ensureEagerBindings(): string {
  const out = execFileSync(process.execPath, [path.join(ROOT, "packages", "cdktf-libvirt", "scripts", "generate-bindings.js"), "--eager", "--out", EAGER_GEN], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  // (the generator's libraries also print a warning about a missing ~/.terraformrc to stdout)
  for (const line of out.split("\n")) if (/^(generated|bindings in) /.test(line)) process.stderr.write(`${line}\n`);
  return EAGER_GEN;
}

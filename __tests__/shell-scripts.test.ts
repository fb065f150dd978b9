// The project's shell scripts outside nix/ (CI's entry point, the acceptance suite's build scripts) pass
// shellcheck; nix/'s scripts are checked with the Nix files.
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const SCRIPTS = [".ci/run", "scripts/check-cdktn.sh", "acceptance/tools/build-tofu.sh", "acceptance/tools/build-guest-image.sh"];

test("shellcheck finds nothing in the CI and acceptance scripts", () => {
  const r = spawnSync("shellcheck", ["--shell=bash", "--severity=style", ...SCRIPTS], { cwd: ROOT, encoding: "utf8" });
  if (r.error) throw r.error;
  expect(r.stdout + r.stderr).toBe("");
  expect(r.status).toBe(0);
});

// What deploy does with a state that a failed apply left unreadable, when it cannot write a better one:
// the directory made immutable, which binds root too. The full-disk cases run real terraform in state-safety.test.ts.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { layout } from "../../deploy/state";
import { appliedChanges, recoverState } from "../../deploy/state-recovery";
import { cleanup, tmpDir } from "./helpers";

afterAll(cleanup);

// as terraform 1.11 streams them
const APPLY_LOG = [
  "terraform_data.a: Creating...",
  "terraform_data.a: Creation complete after 0s [id=6ec6b73c-3b99-6d60-f1ba-fa4236b93a97]",
  "terraform_data.b: Destroying... [id=751d564e-0b74-2b16-ca38-fc34f1d99958]",
  "terraform_data.c: Creating...",
  "terraform_data.c: Still creating... [10s elapsed]",
].join("\n");

test("the apply's log says what it finished and what it only started", () => {
  expect(appliedChanges(APPLY_LOG)).toEqual([
    "terraform_data.a: creation complete (id 6ec6b73c-3b99-6d60-f1ba-fa4236b93a97)",
    "terraform_data.b: destroying started, not seen to finish",
    "terraform_data.c: creating started, not seen to finish",
  ]);
});

test("no readable state can be put back: the unreadable one stays, and the error gives the command to run", () => {
  const l = layout(tmpDir(), "web");
  fs.mkdirSync(l.workDir);
  fs.writeFileSync(l.stateFile, '{"version": 4, "resou');
  const backup = path.join(tmpDir(), "terraform.tfstate.20250101T000000.000Z");
  fs.writeFileSync(backup, '{"version": 4, "lineage": "l", "serial": 1, "resources": []}');
  if (spawnSync("chattr", ["+i", l.workDir]).status !== 0) {
    console.warn("skipping: chattr +i is not possible here");
    return;
  }
  try {
    const report = recoverState(l, [], backup, APPLY_LOG);
    expect(report).toContain(`${l.stateFile} was unreadable after the failed apply, and deploy could not put a readable state in its place (`);
    expect(report).toContain(`the backup from before this apply, ${backup}: EPERM`);
    expect(report).toContain(`restore the state from before this apply:\n  cp ${backup} ${l.stateFile}\n`);
    expect(report).toContain("  terraform_data.a: creation complete (id 6ec6b73c-3b99-6d60-f1ba-fa4236b93a97)");
    expect(fs.readFileSync(l.stateFile, "utf8")).toBe('{"version": 4, "resou');
  } finally {
    spawnSync("chattr", ["-i", l.workDir]);
  }
});

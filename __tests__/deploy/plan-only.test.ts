// --plan-only against the real terraform binary: "what would this rebuild do?", with the exit codes of
// terraform plan -detailed-exitcode, and nothing applied, backed up or remembered.
import * as fs from "node:fs";
import * as path from "node:path";
import { attrs, cleanup, readState, runDeploy, testEnv, tmpDir, writeStack, type Resources } from "./helpers";

afterAll(cleanup);

describe("deploy --plan-only", () => {
  const synthDir = tmpDir();
  const stateDir = path.join(tmpDir(), "state");
  const stackDir = path.join(stateDir, "web");
  const stateFile = path.join(stackDir, "terraform.tfstate");
  const env = testEnv();
  const base = ["--no-synth", "--synth-dir", synthDir, "--state-dir", stateDir, "--protect-type", "terraform_data"];
  const stack = (r: Resources) => writeStack(synthDir, "web", r);
  const planOnly = (...extra: string[]) => runDeploy([...base, "--plan-only", ...extra], env);
  const snapshot = () =>
    fs.existsSync(stackDir)
      ? Object.fromEntries(
          fs
            .readdirSync(stackDir)
            .filter((f) => /\.tfstate|backups|resource-marks/.test(f))
            .map((f) => [f, fs.statSync(path.join(stackDir, f)).isDirectory() ? fs.readdirSync(path.join(stackDir, f)).join(",") : fs.readFileSync(path.join(stackDir, f), "utf8")]),
        )
      : {};

  test("before the first apply: exit 2, the summary of what would be created, no state", async () => {
    stack({ a: { input: "v1" }, b: { triggers_replace: ["t1"] } });
    const r = await planOnly();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("plan: 2 to create, 0 to update, 0 to replace, 0 to delete");
    expect(r.stderr).toContain("plan only: an apply would make these changes to stack web; nothing applied");
    expect(fs.existsSync(stateFile)).toBe(false);
    expect(r.all).not.toContain("apply -input=false");
  });

  test("after an apply: exit 0 when nothing differs", async () => {
    expect((await runDeploy(base, env)).code).toBe(0);
    const before = snapshot();
    const r = await planOnly();
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("no changes: stack web matches the configuration");
    expect(snapshot()).toEqual(before);
  });

  test("a pending update: exit 2, state, backups and marks untouched", async () => {
    const before = snapshot();
    stack({ a: { input: "v2" }, b: { triggers_replace: ["t1"] } });
    const r = await planOnly();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/~\s+terraform_data\.a {2}\(update\)/);
    expect(snapshot()).toEqual(before);
    expect(attrs(readState(stateFile), "a").input).toBe("v1");
    expect(fs.existsSync(path.join(stackDir, "tfplan"))).toBe(false);
  });

  test("a replace an apply would refuse: exit 3 with the refused address; --allow-destroy makes it 2", async () => {
    stack({ a: { input: "v1" }, b: { triggers_replace: ["t2"] } });
    const refused = await planOnly();
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("terraform_data.b");
    expect(refused.stderr).toContain("--allow-destroy 'terraform_data.b'");
    expect((await planOnly("--allow-destroy", "terraform_data.b")).code).toBe(2);
    expect(attrs(readState(stateFile), "b").triggers_replace).toEqual(["t1"]);
  });

  test("a usage or configuration error is 1 (2 means changes here)", async () => {
    const r = await runDeploy([...base, "--plan-only", "--keep-backups", "zero"], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--keep-backups: expected a whole number");
    expect((await runDeploy([...base, "--plan-only", "--dry-run"], env)).code).toBe(1);
  });
});

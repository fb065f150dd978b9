// Deploys that overlap: two CLI processes on one state dir, and a deploy that meets
// terraform's own state lock held by a manual terraform run. Real terraform throughout.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { attrs, BINARY, cleanup, readState, runDeploy, spawnDeploy, testEnv, tmpDir, waitFor, writeStack } from "./helpers";

afterAll(cleanup);

const synthDir = tmpDir();
const stateDir = path.join(tmpDir(), "state");
const workDir = path.join(stateDir, "web");
const env = testEnv();
const args = ["--no-synth", "--synth-dir", synthDir, "--state-dir", stateDir];
// A create that takes a while (provisioners are built in), so the runs really overlap.
writeStack(synthDir, "web", {
  a: { input: "v1" },
  slow: { input: "s", provisioner: [{ "local-exec": { command: "sleep 1" } }] },
});

test("two deploys started at once: the second waits for the first, both succeed", async () => {
  const runs = [spawnDeploy([...args, "--lock-timeout", "60s"], env), spawnDeploy([...args, "--lock-timeout", "60s"], env)];
  const codes = await Promise.all(runs.map((r) => r.done));
  const outputs = runs.map((r) => r.output());
  expect(codes).toEqual([0, 0]);
  expect(outputs.filter((o) => o.includes("applied stack web"))).toHaveLength(1);
  expect(outputs.filter((o) => o.includes("no changes: stack web"))).toHaveLength(1);
  expect(outputs.some((o) => o.includes("waiting for the deploy lock held by pid"))).toBe(true);
  const state = readState(path.join(workDir, "terraform.tfstate"));
  expect(state.resources.map((r) => r.name).sort()).toEqual(["a", "slow"]);
  expect(attrs(state, "slow").input).toBe("s");
  expect(fs.existsSync(path.join(stateDir, "deploy.lock"))).toBe(false);
});

test("terraform's state lock held by someone else: exit 4 once -lock-timeout runs out", async () => {
  // A manual terraform run in the working directory, bypassing deploy's own lock.
  const manual = spawn(BINARY, ["apply", "-input=false", "-no-color", "-auto-approve", "-replace=terraform_data.slow"], {
    cwd: workDir,
    env: { ...env, TF_IN_AUTOMATION: "1" },
    stdio: "ignore",
  });
  const manualDone = new Promise((resolve) => manual.on("close", resolve));
  try {
    await waitFor("the manual apply to take the state lock", () => fs.existsSync(path.join(workDir, ".terraform.tfstate.lock.info")));
    const r = await runDeploy([...args, "--lock-timeout", "0s"], env);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("the terraform state is locked by another process (waited -lock-timeout=0s)");
    // (the state file itself may change meanwhile: the manual apply writes it)
    expect(r.all).not.toContain("apply -input=false");
  } finally {
    expect(await manualDone).toBe(0);
  }
  expect(readState(path.join(workDir, "terraform.tfstate")).resources.map((r) => r.name).sort()).toEqual(["a", "slow"]);
});

// A deploy killed outright in the middle of apply (SIGKILL to its whole process group, as
// systemd does to a unit's cgroup, or to deploy alone, as the OOM killer does), then run again.
import * as fs from "node:fs";
import * as path from "node:path";
import { attrs, cleanup, readState, runDeploy, spawnDeploy, testEnv, tmpDir, waitFor, writeStack } from "./helpers";

afterAll(cleanup);

test("a deploy killed during apply leaves stale locks that do not block the rerun, and a backup", async () => {
  const synthDir = tmpDir();
  const stateDir = path.join(tmpDir(), "state");
  const workDir = path.join(stateDir, "web");
  const stateFile = path.join(workDir, "terraform.tfstate");
  const args = ["--no-synth", "--synth-dir", synthDir, "--state-dir", stateDir, "--lock-timeout", "5s"];
  const env = testEnv();

  writeStack(synthDir, "web", { a: { input: "v1" } });
  expect((await runDeploy(args, env)).code).toBe(0);
  const before = fs.readFileSync(stateFile);

  // The new resource's provisioner sleeps for $TF_VAR_nap seconds: long enough to be killed in.
  writeStack(
    synthDir,
    "web",
    { a: { input: "v1" }, slow: { input: "s", provisioner: [{ "local-exec": { command: "sleep ${var.nap}" } }] } },
    { variable: { nap: { type: "number" } } },
  );
  const victim = spawnDeploy(args, { ...env, TF_VAR_nap: "60" });
  await waitFor("apply to reach the provisioner", () => victim.output().includes("Provisioning with 'local-exec'"));
  process.kill(-victim.pid!, "SIGKILL");
  expect(await victim.done).toBeNull();

  // What is left behind: both lock files, the untouched state, and the pre-apply backup.
  expect(fs.existsSync(path.join(stateDir, "deploy.lock"))).toBe(true);
  expect(fs.existsSync(path.join(workDir, ".terraform.tfstate.lock.info"))).toBe(true);
  expect(fs.readFileSync(stateFile).equals(before)).toBe(true);
  const backups = fs.readdirSync(path.join(workDir, "backups")).sort();
  expect(backups).toHaveLength(2); // after the first apply, before the killed one
  expect(fs.readFileSync(path.join(workDir, "backups", backups[1])).equals(before)).toBe(true);

  // The rerun takes over the stale deploy lock; terraform's lock (an fcntl lock) died with its process.
  const rerun = await runDeploy(args, { ...env, TF_VAR_nap: "0" });
  expect(rerun.code).toBe(0);
  expect(rerun.stderr).toMatch(/removing stale deploy lock .*\(owner pid \d+ is gone\)/);
  const state = readState(stateFile);
  expect(attrs(state, "slow").input).toBe("s");
  expect(attrs(state, "a").id).toBe(attrs(JSON.parse(before.toString()), "a").id);
  expect(fs.existsSync(path.join(stateDir, "deploy.lock"))).toBe(false);
  expect(fs.existsSync(path.join(workDir, ".terraform.tfstate.lock.info"))).toBe(false);
  expect(fs.readdirSync(path.join(workDir, "backups"))).toHaveLength(4);
});

test("SIGTERM to deploy alone lets the running apply finish, then stops with exit 143", async () => {
  const synthDir = tmpDir();
  const stateDir = path.join(tmpDir(), "state");
  const stateFile = path.join(stateDir, "web", "terraform.tfstate");
  writeStack(synthDir, "web", { slow: { input: "s", provisioner: [{ "local-exec": { command: "sleep 1" } }] } });
  const run = spawnDeploy(["--no-synth", "--synth-dir", synthDir, "--state-dir", stateDir], testEnv());
  await waitFor("apply to reach the provisioner", () => run.output().includes("Provisioning with 'local-exec'"));
  // Only deploy gets the signal (terraform does not, unlike Ctrl-C or systemctl stop):
  // aborting the apply halfway would be worse than finishing it.
  process.kill(run.pid!, "SIGTERM");
  expect(await run.done).toBe(143);
  expect(run.output()).toContain("received SIGTERM: waiting for the running step to stop");
  expect(run.output()).toContain("interrupted by SIGTERM");
  expect(attrs(readState(stateFile), "slow").input).toBe("s");
  expect(fs.existsSync(path.join(stateDir, "deploy.lock"))).toBe(false);
  expect(fs.existsSync(path.join(stateDir, "web", "tfplan"))).toBe(false);
});

test("SIGKILL to deploy alone (the OOM killer) ends its terraform; the rerun waits for it and creates the resource once", async () => {
  const synthDir = tmpDir();
  const stateDir = path.join(tmpDir(), "state");
  const workDir = path.join(stateDir, "web");
  const args = ["--no-synth", "--synth-dir", synthDir, "--state-dir", stateDir, "--lock-timeout", "5s"];
  const env = testEnv();
  // One line when a creation starts, one when it finishes: the resource's side effect, counted.
  const creations = path.join(tmpDir(), "creations");
  writeStack(
    synthDir,
    "web",
    { slow: { input: "s", provisioner: [{ "local-exec": { command: `echo started >> ${creations}; sleep \${var.nap}; echo finished >> ${creations}` } }] } },
    { variable: { nap: { type: "number" } } },
  );
  const victim = spawnDeploy(args, { ...env, TF_VAR_nap: "60" });
  await waitFor("apply to reach the provisioner", () => victim.output().includes("Provisioning with 'local-exec'"));
  const plan = path.join(workDir, "tfplan");
  expect(fs.statSync(plan).mode & 0o777).toBe(0o600);
  process.kill(victim.pid!, "SIGKILL");
  expect(await victim.done).toBeNull();

  const rerun = await runDeploy(args, { ...env, TF_VAR_nap: "0" });
  expect(rerun.code).toBe(0);
  // the killed run's terraform was still stopping: the rerun waited instead of applying beside it
  expect(rerun.stderr).toMatch(/waiting for the deploy lock held by the tool that deploy pid \d+ \(gone\) left running \(supervisor pid \d+\)/);
  expect(rerun.stderr).toContain(`removed ${plan}, left by a deploy that was killed`);
  // the interrupted creation left a tainted object, which the rerun replaced: one creation finished
  expect(fs.readFileSync(creations, "utf8")).toBe("started\nstarted\nfinished\n");
  expect(readState(path.join(workDir, "terraform.tfstate")).resources.map((r) => r.name)).toEqual(["slow"]);
  // nothing of the killed run is left running (its provisioner's command line names the file)
  const running = fs.readdirSync("/proc").filter((pid) => /^\d+$/.test(pid) && cmdline(pid).includes(creations));
  expect(running).toEqual([]);
  expect(fs.existsSync(plan)).toBe(false);
});

function cmdline(pid: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
}

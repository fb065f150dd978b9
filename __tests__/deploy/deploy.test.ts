// End-to-end runs of the deploy pipeline against the real terraform binary, on
// stacks of built-in terraform_data resources (no provider download needed).
import * as fs from "node:fs";
import * as path from "node:path";
import { attrs, cleanup, readState, REPO, runDeploy, testEnv, tmpDir, writeStack, type Resources } from "./helpers";

afterAll(cleanup);

describe("deploy lifecycle on one state dir", () => {
  // Each test builds on the state the previous one left, like successive deploys.
  const synthDir = tmpDir();
  const stateDir = path.join(tmpDir(), "state");
  const stateFile = path.join(stateDir, "web", "terraform.tfstate");
  const backupsDir = path.join(stateDir, "web", "backups");
  const env = testEnv();
  const base = ["--no-synth", "--synth-dir", synthDir, "--state-dir", stateDir, "--lock-timeout", "10s"];
  const protect = ["--protect-type", "terraform_data"];
  const stack = (r: Resources) => writeStack(synthDir, "web", r);
  const backups = () => (fs.existsSync(backupsDir) ? fs.readdirSync(backupsDir).sort() : []);

  test("first apply creates the resources, with state under --state-dir", async () => {
    stack({ a: { input: "v1" }, b: { triggers_replace: ["t1"] } });
    const r = await runDeploy(base, env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("no state yet: nothing to back up");
    expect(r.stderr).toContain("applied stack web");
    const state = readState(stateFile);
    expect(attrs(state, "a").input).toBe("v1");
    expect(attrs(state, "b").triggers_replace).toEqual(["t1"]);
    // cdktf's baked-in backend path (the synth cwd) was overridden
    expect(fs.existsSync(path.join(synthDir, "synth-cwd"))).toBe(false);
    expect(fs.statSync(stateDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(stateDir, "web")).mode & 0o777).toBe(0o700);
    expect(fs.existsSync(path.join(stateDir, "web", "tfplan"))).toBe(false);
    expect(fs.existsSync(path.join(stateDir, "deploy.lock"))).toBe(false);
    // nothing to back up before, the new state after
    expect(backups()).toEqual([expect.stringMatching(/^terraform\.tfstate\.\d{8}T[\d.]+Z\.applied$/)]);
    expect(fs.readFileSync(path.join(backupsDir, backups()[0])).equals(fs.readFileSync(stateFile))).toBe(true);
  });

  test("a second run with nothing to do says so and leaves the state alone", async () => {
    const before = fs.readFileSync(stateFile);
    const backupsBefore = backups();
    // TF_CLI_ARGS_plan could sneak a -destroy past the check; deploy drops it.
    const r = await runDeploy(base, { ...env, TF_CLI_ARGS_plan: "-destroy" });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("ignoring TF_CLI_ARGS_plan");
    expect(r.stderr).toContain("no changes");
    expect(r.all).not.toContain("state backed up");
    expect(fs.readFileSync(stateFile).equals(before)).toBe(true);
    expect(backups()).toEqual(backupsBefore);
  });

  test("an in-place update applies and backs up the previous state first, the new one after", async () => {
    const before = fs.readFileSync(stateFile);
    const backupsBefore = backups();
    const idBefore = attrs(readState(stateFile), "a").id;
    stack({ a: { input: "v2" }, b: { triggers_replace: ["t1"] } });
    const r = await runDeploy([...base, ...protect], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/~\s+terraform_data\.a {2}\(update\)/);
    const after = readState(stateFile);
    expect(attrs(after, "a").input).toBe("v2");
    expect(attrs(after, "a").id).toBe(idBefore);
    expect(after.serial).toBeGreaterThan(JSON.parse(before.toString()).serial);
    const added = backups().filter((b) => !backupsBefore.includes(b));
    expect(added).toHaveLength(2);
    expect(added[0]).not.toMatch(/\.applied$/);
    expect(added[1]).toMatch(/\.applied$/);
    expect(fs.readFileSync(path.join(backupsDir, added[0])).equals(before)).toBe(true);
    expect(fs.readFileSync(path.join(backupsDir, added[1])).equals(fs.readFileSync(stateFile))).toBe(true);
  });

  test("a replace of a protected type is refused with exit 3 and nothing applied", async () => {
    const before = fs.readFileSync(stateFile);
    const backupsBefore = backups();
    stack({ a: { input: "v2" }, b: { triggers_replace: ["t2"] } });
    const r = await runDeploy([...base, ...protect], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("refusing to apply");
    expect(r.stderr).toContain("terraform_data.b");
    expect(r.stderr).toContain("action: replace");
    expect(r.stderr).toContain("--allow-destroy 'terraform_data.b'");
    expect(r.all).not.toContain("apply -input=false");
    expect(fs.readFileSync(stateFile).equals(before)).toBe(true);
    expect(backups()).toEqual(backupsBefore);
    expect(fs.existsSync(path.join(stateDir, "web", "tfplan"))).toBe(false);
  });

  test("--allow-destroy lets exactly that replace through", async () => {
    const idBefore = attrs(readState(stateFile), "b").id;
    const r = await runDeploy([...base, ...protect, "--allow-destroy", "terraform_data.b", "--allow-destroy", "terraform_data.typo"], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("allowed by --allow-destroy");
    expect(r.stderr).toContain("--allow-destroy terraform_data.typo matches no deletion");
    const b = attrs(readState(stateFile), "b");
    expect(b.triggers_replace).toEqual(["t2"]);
    expect(b.id).not.toBe(idBefore);
  });

  test("a deletion is allowed through --allow-destroy-file", async () => {
    stack({ b: { triggers_replace: ["t2"] } });
    const list = path.join(tmpDir(), "allow.txt");
    fs.writeFileSync(list, "# reviewed\n\nterraform_data.a   # old input\n");
    expect((await runDeploy([...base, ...protect], env)).code).toBe(3);
    const r = await runDeploy([...base, ...protect, "--allow-destroy-file", list], env);
    expect(r.code).toBe(0);
    expect(readState(stateFile).resources.map((x) => x.name)).toEqual(["b"]);
  });

  test("with the default protected types (libvirt), terraform_data replaces go through", async () => {
    stack({ b: { triggers_replace: ["t3"] } });
    const r = await runDeploy(base, env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("allowed: terraform_data is not a protected type");
  });

  test("--keep-backups prunes the oldest backups", async () => {
    expect(backups().length).toBeGreaterThan(1);
    stack({ b: { triggers_replace: ["t3"], input: "kept" } });
    expect((await runDeploy([...base, "--keep-backups", "1"], env)).code).toBe(0);
    expect(backups()).toHaveLength(1);
  });
});

describe("secrets", () => {
  const synthDir = tmpDir();
  const stateDir = path.join(tmpDir(), "state");
  const creds = tmpDir();
  const base = ["--no-synth", "--synth-dir", synthDir, "--state-dir", stateDir, "--secret", "token"];
  writeStack(
    synthDir,
    "s",
    { consumer: { input: "${var.token}" } },
    { variable: { token: { type: "string", sensitive: true } } },
  );
  fs.writeFileSync(path.join(creds, "token"), "s3cret-value\n");

  test("a credential reaches terraform as TF_VAR_<name>, never in the output", async () => {
    const r = await runDeploy(base, testEnv({ CREDENTIALS_DIRECTORY: creds }));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("[secrets via env: TF_VAR_token]");
    expect(r.all).not.toContain("s3cret");
    const state = readState(path.join(stateDir, "s", "terraform.tfstate"));
    expect(attrs(state, "consumer").input).toBe("s3cret-value");
  });

  test("a missing CREDENTIALS_DIRECTORY or credential is a usage error", async () => {
    const unset = await runDeploy(base, testEnv());
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain("$CREDENTIALS_DIRECTORY is not set");
    const missing = await runDeploy([...base, "--secret", "other"], testEnv({ CREDENTIALS_DIRECTORY: creds }));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`credential file ${path.join(creds, "other")} does not exist`);
  });
});

describe("the command line", () => {
  test("--dry-run prints every step's argv and touches nothing", async () => {
    const synthDir = tmpDir();
    const stateDir = path.join(tmpDir(), "state");
    writeStack(synthDir, "web", { a: { input: "x" } });
    const r = await runDeploy(
      ["--dry-run", "--synth-dir", synthDir, "--state-dir", stateDir, "--lock-timeout", "30s", "--plugin-dir", synthDir],
      testEnv(),
    );
    expect(r.code).toBe(0);
    const work = path.join(stateDir, "web");
    // the app command of the repository's cdktf.json, as cdktf synth would run it (without the CLI)
    expect(r.stdout).toContain(`would run: node dist/main.js  (in ${REPO})`);
    expect(r.stdout).toContain(`init -input=false -no-color -upgrade -plugin-dir=${synthDir} -backend-config=path=terraform.tfstate  (in ${work})`);
    expect(r.stdout).toContain("plan -input=false -out=tfplan -detailed-exitcode -lock-timeout=30s -no-color");
    expect(r.stdout).toContain("show -json tfplan");
    expect(r.stdout).toContain("apply -input=false -lock-timeout=30s -no-color tfplan");
    expect(r.stdout).toContain("would refuse deleting or replacing: libvirt_volume, libvirt_pool, libvirt_domain");
    expect(fs.existsSync(stateDir)).toBe(false);
  });

  test("usage errors exit 2; --help exits 0", async () => {
    const env = testEnv();
    expect((await runDeploy(["--frobnicate"], env)).code).toBe(2);
    expect((await runDeploy(["--lock-timeout", "soon"], env)).code).toBe(2);
    const noStack = await runDeploy(["--no-synth", "--synth-dir", tmpDir(), "--state-dir", tmpDir()], env);
    expect(noStack.code).toBe(2);
    expect(noStack.stderr).toContain("no synth output in");
    const help = await runDeploy(["--help"], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--allow-destroy ADDR");
  });

  test("a failing synth command is a tool error (exit 1) with its stderr tail", async () => {
    const r = await runDeploy(
      ["--synth-command", `${process.execPath} -e process.stderr.write("boom\\n");process.exit(5)`, "--synth-dir", tmpDir(), "--state-dir", tmpDir()],
      testEnv(),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("synth failed (exit 5)");
    expect(r.stderr).toMatch(/stderr ---\n\[deploy\] boom/);
  });

  test("a synth program that does not exist is a tool error naming it", async () => {
    const r = await runDeploy(["--synth-command", "/nonexistent/cdktf synth", "--synth-dir", tmpDir(), "--state-dir", tmpDir()], testEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("synth failed: could not start /nonexistent/cdktf: ENOENT");
  });

  test("the synth command writes to --synth-dir via {synthDir} and CDKTF_OUTDIR", async () => {
    const synthDir = tmpDir();
    const stateDir = tmpDir();
    // A stand-in app that writes the stack where cdktf would, as `cdktf synth --output` does.
    const app = path.join(tmpDir(), "app.js");
    fs.writeFileSync(
      app,
      `const fs=require("fs"),p=require("path");const out=process.argv[2];if(out!==process.env.CDKTF_OUTDIR)process.exit(9);` +
        `fs.mkdirSync(p.join(out,"stacks","app"),{recursive:true});` +
        `fs.writeFileSync(p.join(out,"stacks","app","cdk.tf.json"),JSON.stringify({resource:{terraform_data:{x:{input:"synth"}}}}));`,
    );
    const r = await runDeploy(["--synth-command", `${process.execPath} ${app} {synthDir}`, "--synth-dir", synthDir, "--state-dir", stateDir], testEnv());
    expect(r.code).toBe(0);
    // No backend block in this stack: terraform's default local state in the working dir.
    expect(attrs(readState(path.join(stateDir, "app", "terraform.tfstate")), "x").input).toBe("synth");
  });
});

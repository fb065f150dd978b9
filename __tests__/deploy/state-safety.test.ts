// Faults of the state file itself, with the real terraform: a disk that fills up during the apply,
// a 0-byte or missing state, a state that cannot be written. No run may leave a state that the next
// one cannot use, start again from nothing without being told to, or print the stack's secrets.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { attrs, cleanup, readState, runDeploy, testEnv, tmpDir, writeStack, type Resources } from "./helpers";

const SECRET = "s3cret-value";
const creds = tmpDir();
fs.writeFileSync(path.join(creds, "token"), `${SECRET}\n`);
const env = testEnv({ CREDENTIALS_DIRECTORY: creds });
const secretStack = (synthDir: string, extra: Resources = {}) =>
  writeStack(
    synthDir,
    "web",
    { keep: { input: "${var.token}" }, ...extra },
    { variable: { token: { type: "string", sensitive: true }, fill: { type: "number", default: 0 } } },
  );

/** Every file under the state dir except the state and its copies. */
function filesOutsideState(stateDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== "backups") walk(p);
      else if (e.isFile() && !/^(terraform\.tfstate(\.backup)?|errored\.tfstate)$/.test(e.name)) found.push(p);
    }
  };
  walk(stateDir);
  return found;
}

/** No file but the state holds the secret, and none is readable by group or others. */
function expectPrivateWithoutSecret(stateDir: string): void {
  for (const f of filesOutsideState(stateDir)) {
    expect([f, (fs.statSync(f).mode & 0o077).toString(8)]).toEqual([f, "0"]);
    expect([f, fs.readFileSync(f, "latin1").includes(SECRET)]).toEqual([f, false]);
  }
}

// A small filesystem of the test's own; tmpfs needs root (CAP_SYS_ADMIN).
const mountPoint = tmpDir();
const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=12m,mode=0700", "tmpfs", mountPoint], { encoding: "utf8" });
const canMount = mounted.status === 0;
if (!canMount) console.warn(`skipping the disk-full tests: cannot mount a tmpfs here (${(mounted.stderr || mounted.error?.message || "").trim()})`);

afterAll(() => {
  if (canMount) spawnSync("umount", [mountPoint]);
  cleanup();
});

(canMount ? describe : describe.skip)("a full disk (the state dir on a 12 MiB tmpfs)", () => {
  const synthDir = tmpDir();
  const stateDir = path.join(mountPoint, "state");
  const workDir = path.join(stateDir, "web");
  const stateFile = path.join(workDir, "terraform.tfstate");
  const ballast = path.join(mountPoint, "ballast");
  const args = ["--no-synth", "--synth-dir", synthDir, "--state-dir", stateDir, "--lock-timeout", "5s", "--secret", "token"];
  // A provisioner that fills the disk ($TF_VAR_fill bytes) before terraform saves the state, and a
  // resource that waits for it.
  const growing = {
    filler: { input: "f", provisioner: [{ "local-exec": { command: "head -c ${var.fill} /dev/zero > fill || true" } }] },
    after: { input: "a", depends_on: ["terraform_data.filler"] },
  };

  test("too little free space: refused before the apply with exit 2, nothing changed", async () => {
    secretStack(synthDir);
    expect((await runDeploy(args, env)).code).toBe(0);
    const before = fs.readFileSync(stateFile);
    const { bavail, bsize } = fs.statfsSync(mountPoint);
    fs.writeFileSync(ballast, Buffer.alloc(bavail * bsize - 4 * 1024 * 1024));
    try {
      secretStack(synthDir, growing);
      const r = await runDeploy(args, env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/only \d\.\d MiB free on the filesystem of .*; an apply needs 8\.0 MiB \(4 × the state's 0\.0 MiB \+ 8\.0 MiB\)/);
      expect(r.all).not.toContain("apply -input=false");
      expect(fs.readFileSync(stateFile).equals(before)).toBe(true);
      expect(fs.existsSync(path.join(workDir, "tfplan"))).toBe(false);
    } finally {
      fs.rmSync(ballast);
    }
  });

  test("filled during the apply: the printed state is withheld and put in place of the stale one, exit 1; the rerun creates nothing twice", async () => {
    secretStack(synthDir, growing);
    const r = await runDeploy(args, { ...env, TF_VAR_fill: String(64 * 1024 * 1024) });
    expect(r.code).toBe(1);
    // terraform printed the whole state (the secret in it); none of it reached the output
    expect(r.stderr).toMatch(/(terraform|tofu) apply printed the state it could not save \(\d+ lines?\): withheld from this log/);
    expect(r.all).not.toContain(SECRET);
    expect(r.all).not.toContain('"lineage"');
    // terraform could not even write its own backup or errored.tfstate (it stops there, OpenTofu goes
    // on with `after`); the printed state took the place of the one from before the apply
    expect(r.stderr).toMatch(/terraform\.tfstate lacks what the apply did \(terraform could not save it\); deploy put the state terraform printed \(withheld from the log\) in its place; nothing the apply did is lost/);
    const restored = readState(stateFile);
    expect(restored.resources.map((x) => x.name)).toEqual(expect.arrayContaining(["filler", "keep"]));
    expect(fs.existsSync(path.join(workDir, "errored.tfstate"))).toBe(false);
    expect(fs.existsSync(path.join(workDir, "tfplan"))).toBe(false);
    expectPrivateWithoutSecret(stateDir);

    // the operator frees the space; the next run creates only what the failed one did not
    fs.rmSync(path.join(workDir, "fill"));
    const rerun = await runDeploy(args, env);
    expect(rerun.code).toBe(0);
    const state = readState(stateFile);
    expect(state.resources.map((x) => x.name).sort()).toEqual(["after", "filler", "keep"]);
    for (const { name } of restored.resources) expect([name, attrs(state, name).id]).toEqual([name, attrs(restored, name).id]);
    expect(attrs(state, "keep").input).toBe(SECRET);
  });

  test("filled after terraform saved once (terraform leaves the state truncated): the backup from before is put back, and what the apply made is named", async () => {
    // terraform saves `first` (and its own backup) before a new filler fills the disk; the state with `fat` then
    // no longer fits and is left truncated. OpenTofu saves only at the end, and leaves the state from before.
    secretStack(synthDir, {
      ...growing,
      first: { input: "1" },
      refill: { ...growing.filler, depends_on: ["terraform_data.first"] },
      fat: { input: "z".repeat(16 * 1024), depends_on: ["terraform_data.refill"] },
    });
    const before = fs.readFileSync(stateFile, "utf8");
    const r = await runDeploy(args, { ...env, TF_VAR_fill: String(64 * 1024 * 1024) });
    expect(r.code).toBe(1);
    expect(r.all).not.toContain(SECRET);
    expect(r.stderr).toMatch(
      /terraform\.tfstate (was unreadable after the failed apply|lacks what the apply did \(terraform could not save it\)); deploy put the backup from before this apply, \S+ in its place \(the state terraform printed \(withheld from the log\) could not be written: ENOSPC; it is gone\)\. The apply may have made these changes/,
    );
    expect(r.stderr).toMatch(/\[deploy\]   terraform_data\.first: creation complete \(id [\w-]+\)/);
    expect(fs.readFileSync(stateFile, "utf8")).toBe(before);
    expectPrivateWithoutSecret(stateDir);

    fs.rmSync(path.join(workDir, "fill"));
    const rerun = await runDeploy(args, env);
    expect(rerun.code).toBe(0);
    expect(readState(stateFile).resources.map((x) => x.name).sort()).toEqual(["after", "fat", "filler", "first", "keep", "refill"]);
  });
});

describe("an empty, missing or unwritable state", () => {
  const synthDir = tmpDir();
  const stateDir = path.join(tmpDir(), "state");
  const workDir = path.join(stateDir, "web");
  const stateFile = path.join(workDir, "terraform.tfstate");
  const args = ["--no-synth", "--synth-dir", synthDir, "--state-dir", stateDir, "--lock-timeout", "5s", "--secret", "token"];

  test("a 0-byte state after an earlier apply is refused with exit 2 and the restore command; --accept-empty-state goes on", async () => {
    secretStack(synthDir);
    expect((await runDeploy(args, env)).code).toBe(0);
    const id = attrs(readState(stateFile), "keep").id;
    fs.writeFileSync(stateFile, "");
    const r = await runDeploy(args, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/terraform\.tfstate is empty \(0 bytes\), but an earlier run left a state here \(the newest backup is (\S+)\): planning from nothing would create every resource again/);
    expect(r.stderr).toMatch(/Restore the newest backup:\n\[deploy\]   cp \S+\.applied \S+terraform\.tfstate/);
    expect(r.all).not.toContain("plan -input=false");
    expect(fs.statSync(stateFile).size).toBe(0);

    fs.rmSync(stateFile);
    expect((await runDeploy(args, env)).stderr).toContain("terraform.tfstate is missing, but an earlier run left a state here");

    const accepted = await runDeploy([...args, "--accept-empty-state"], env);
    expect(accepted.code).toBe(0);
    expect(accepted.stderr).toContain("going on from an empty state as --accept-empty-state says");
    expect(attrs(readState(stateFile), "keep").id).not.toBe(id);
  });

  test("a truncated state is refused by terraform (exit 1) and left as it is", async () => {
    const good = fs.readFileSync(stateFile, "utf8");
    fs.writeFileSync(stateFile, good.slice(0, good.length / 2));
    const r = await runDeploy(args, env);
    expect(r.code).toBe(1);
    expect(r.all).not.toContain("apply -input=false");
    expect(fs.readFileSync(stateFile, "utf8")).toBe(good.slice(0, good.length / 2));
    fs.writeFileSync(stateFile, good);
  });

  test("a state file that cannot be written (immutable, which binds root too) is exit 2 naming the cause, not a lock timeout", async () => {
    const chattr = spawnSync("chattr", ["+i", stateFile], { encoding: "utf8" });
    if (chattr.status !== 0) {
      console.warn(`skipping: chattr +i is not possible here (${chattr.stderr.trim()})`);
      return;
    }
    try {
      const before = fs.readFileSync(stateFile);
      const r = await runDeploy(args, env);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`the state file ${stateFile} is not writable (EPERM): terraform could neither lock nor save the state`);
      expect(r.stderr).not.toContain("locked by another process");
      expect(fs.readFileSync(stateFile).equals(before)).toBe(true);
    } finally {
      spawnSync("chattr", ["-i", stateFile]);
    }
  });

  test("files deploy leaves are private, even those an earlier run left readable", async () => {
    for (const f of [stateFile, path.join(workDir, "cdk.tf.json")]) fs.chmodSync(f, 0o644);
    secretStack(synthDir, { more: { input: "m" } });
    expect((await runDeploy(args, env)).code).toBe(0);
    expectPrivateWithoutSecret(stateDir);
    expect(fs.statSync(stateFile).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(workDir, "tfplan"))).toBe(false);
  });
});

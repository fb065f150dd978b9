// A secret planted through Secret (a password hash, passed as a credential) reaches the guest and no
// output or file outside the state: not deploy's or terraform's output (the plan shows "(sensitive
// value)"), not the synthesized JSON, not any other file deploy writes. The state and its backups hold
// it by design (Terraform stores sensitive variables in state), and so does the cloud-init seed: the
// ISO the provider builds in the stack's tmp/ and the volume in the pool, which the guest reads it from.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Deployment, expectExit, LAB_VM, labSpec, type DeployRun } from "../harness/deploy";
import { guestShell, waitForAgent, waitForCloudInit } from "../harness/guest";
import { currentLab } from "../harness/lab";

const lab = currentLab();
const secrets = new Deployment(lab, "secrets");
const credentials = path.join(secrets.dir, "credentials");
fs.mkdirSync(credentials, { mode: 0o700 });
const spec = labSpec("secrets", {
  vms: { vault: { ...LAB_VM, interfaces: [{ network: "br0" }], cloudInit: { users: [{ name: "ops", passwordHash: { secret: "ops_hash" }, sudo: true }] } } },
});

/** A real SHA-512 crypt hash with a salt no other text contains. */
function plantHash(): string {
  const salt = randomBytes(8).toString("hex");
  const hash = execFileSync("openssl", ["passwd", "-6", "-salt", salt, randomBytes(12).toString("base64")], { encoding: "utf8" }).trim();
  fs.writeFileSync(path.join(credentials, "ops_hash"), hash, { mode: 0o600 });
  return hash;
}

const deploy = (): Promise<DeployRun> => secrets.deploy(spec, ["--secret", "ops_hash"], { CREDENTIALS_DIRECTORY: credentials });

/** Files under `dir` holding `needle`, relative to `dir`. */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const file = path.join(d, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile() && fs.readFileSync(file).includes(needle)) found.push(path.relative(dir, file));
    }
  };
  walk(dir);
  return found.sort();
}

const BY_DESIGN = /^(secrets\/terraform\.tfstate|secrets\/backups\/terraform\.tfstate\.\S+|secrets\/tmp\/\S+\.iso)$/;

describe("secrets", () => {
  let first = "";

  test("the hash reaches the guest; deploy's output shows it as a sensitive value; only the state and the seed hold it", async () => {
    first = plantHash();
    const run = await deploy();
    expectExit(run, 0);
    expect(run.output).toContain("(sensitive value)");
    expect(run.output).not.toContain(first);
    await waitForAgent("vault");
    expect(await waitForCloudInit("vault")).toEqual([]);
    expect(await guestShell("vault", "grep '^ops:' /etc/shadow | cut -d: -f2")).toBe(`${first}\n`);
    expect(filesContaining(secrets.synthDir, first)).toEqual([]);
    const inState = filesContaining(secrets.stateDir, first);
    expect(inState.filter((f) => !BY_DESIGN.test(f))).toEqual([]);
    expect(inState).toContain("secrets/terraform.tfstate");
  });

  test("a rotation replaces the seed and prints neither the old nor the new value", async () => {
    const second = plantHash();
    const run = await deploy();
    expectExit(run, 0);
    expect(run.stderr).toContain("-/+ libvirt_volume.local_vault_CloudInit");
    for (const value of [first, second]) expect(run.output).not.toContain(value);
    expect(filesContaining(secrets.synthDir, second)).toEqual([]);
    expect(filesContaining(secrets.stateDir, second).filter((f) => !BY_DESIGN.test(f))).toEqual([]);
    for (const r of secrets.runs) for (const value of [first, second]) expect(r.output).not.toContain(value);
  });
});

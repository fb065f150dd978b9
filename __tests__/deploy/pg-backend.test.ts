// Team state on PostgreSQL: a real server (Debian's postgresql, started by the test on 127.0.0.1 only,
// with a password), the real terraform and its pg backend, deploy from two state directories as two
// machines or people would. The second sees the first's resources instead of making them again, two
// concurrent applies are serialized by the backend's lock, each keeps pulled backups, and the
// connection string (a credential, PG_CONN_STR) appears in no output and no file outside the server.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { cleanup, runDeploy, spawnDeploy, testEnv, tmpDir, writeStack } from "./helpers";

const PG_BIN = fs.existsSync("/usr/lib/postgresql") ? fs.readdirSync("/usr/lib/postgresql").map((v) => `/usr/lib/postgresql/${v}/bin`).find((d) => fs.existsSync(`${d}/initdb`)) : undefined;
const SKIP = process.getuid?.() !== 0 ? "needs root (the server runs as the postgres user)" : PG_BIN ? undefined : "PostgreSQL is not installed (Debian: postgresql)";
if (SKIP) console.log(`pg backend tests skipped: ${SKIP}`);

const PASSWORD = "s3cret-4f1c9a7e2b";
let base = "";
let dataDir = "";
let connStr = "";

function asPostgres(args: string[]): void {
  const r = spawnSync("runuser", ["-u", "postgres", "--", ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${args.join(" ")}: ${r.stderr}${r.stdout}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  if (SKIP) return;
  // outside the test run's private TMPDIR: the server runs as postgres
  base = fs.mkdtempSync("/var/tmp/cdktf-libvirt-pg-");
  fs.chmodSync(base, 0o755);
  dataDir = path.join(base, "data");
  fs.mkdirSync(dataDir, { mode: 0o700 });
  fs.chownSync(dataDir, Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout), Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout));
  const pwfile = path.join(base, "pw");
  fs.writeFileSync(pwfile, PASSWORD);
  fs.chmodSync(pwfile, 0o644);
  asPostgres([`${PG_BIN}/initdb`, "-D", dataDir, "-U", "deploy", `--pwfile=${pwfile}`, "--auth=scram-sha-256"]);
  fs.rmSync(pwfile);
  const port = await freePort();
  const settings = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dataDir}`;
  asPostgres([`${PG_BIN}/pg_ctl`, "-D", dataDir, "-o", settings, "-w", "-l", path.join(dataDir, "server.log"), "start"]);
  connStr = `postgres://deploy:${PASSWORD}@127.0.0.1:${port}/postgres?sslmode=disable`;
}, 60_000);

afterAll(() => {
  if (dataDir) asPostgres([`${PG_BIN}/pg_ctl`, "-D", dataDir, "-m", "immediate", "stop"]);
  if (base) fs.rmSync(base, { recursive: true, force: true });
  cleanup();
});

/** One machine: its synth output, state directory and credentials directory holding the connection string. */
function machine(schema: string) {
  const synthDir = tmpDir();
  const stateDir = path.join(tmpDir(), "state");
  const credentials = tmpDir("pg-creds-");
  fs.writeFileSync(path.join(credentials, "pg"), `${connStr}\n`, { mode: 0o600 });
  const write = (resources: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}) =>
    writeStack(synthDir, "team", resources, { terraform: { backend: { pg: { schema_name: schema } } }, ...extra });
  const args = ["--no-synth", "--synth-dir", synthDir, "--state-dir", stateDir, "--lock-timeout", "60s", "--secret", "PG_CONN_STR=pg"];
  const env = testEnv({ CREDENTIALS_DIRECTORY: credentials });
  return { synthDir, stateDir, write, deploy: () => runDeploy(args, env), spawn: () => spawnDeploy(args, env) };
}

function filesContaining(dir: string, text: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).flatMap((entry) => {
    const file = path.join(entry.parentPath, entry.name);
    return entry.isFile() && fs.readFileSync(file).includes(text) ? [path.relative(dir, file)] : [];
  });
}

(SKIP ? describe.skip : describe)("the pg backend with a real PostgreSQL", () => {
  test("a second machine builds on the first's resources; both keep pulled backups; the password is nowhere", async () => {
    const first = machine("team_one");
    const second = machine("team_one");
    first.write({ a: { input: "v1" } });
    const one = await first.deploy();
    expect(one.code).toBe(0);
    expect(one.all).toContain("state in the stack's pg backend (backups are pulled copies)");
    expect(one.all).toContain("plan: 1 to create, 0 to update, 0 to replace, 0 to delete");

    second.write({ a: { input: "v1" }, b: { input: "v1" } });
    const two = await second.deploy();
    expect(two.code).toBe(0);
    // a is the first machine's: found in the shared state, not made again
    expect(two.all).toContain("plan: 1 to create, 0 to update, 0 to replace, 0 to delete");

    first.write({ a: { input: "v1" }, b: { input: "v1" } });
    const three = await first.deploy();
    expect(three.code).toBe(0);
    expect(three.all).toContain("[deploy] no changes: stack team matches the configuration; nothing applied");

    for (const m of [first, second]) {
      const work = path.join(m.stateDir, "team");
      expect(fs.existsSync(path.join(work, "terraform.tfstate"))).toBe(false);
      const backups = fs.readdirSync(path.join(work, "backups"));
      expect(backups.length).toBeGreaterThan(0);
      expect(filesContaining(m.stateDir, PASSWORD)).toEqual([]);
    }
    for (const r of [one, two, three]) expect(r.all).not.toContain(PASSWORD);
  });

  test("two machines applying at once are serialized by the backend's lock: one creates, the other finds it made", async () => {
    const made = path.join(tmpDir("pg-made-"), "made.log");
    const resources = { slow: { input: "s", provisioner: [{ "local-exec": { command: `echo created >> ${made}; sleep 3` } }] } };
    const [left, right] = [machine("team_two"), machine("team_two")];
    left.write(resources);
    right.write(resources);
    const runs = [left.spawn(), right.spawn()];
    const codes = await Promise.all(runs.map((r) => r.done));
    expect(codes).toEqual([0, 0]);
    expect(fs.readFileSync(made, "utf8")).toBe("created\n");
    // the later one either planned after the first applied (no changes), or planned beside it and found
    // its saved plan stale at apply, planned again, and found nothing left to do
    const outputs = runs.map((r) => r.output());
    expect(outputs.filter((o) => o.includes("[deploy] applied stack team"))).toHaveLength(1);
    expect(outputs.find((o) => !o.includes("[deploy] applied stack team"))).toContain("[deploy] no changes: stack team matches the configuration; nothing applied");
    if (outputs.some((o) => o.includes("the state changed since the plan"))) console.log("pg backend: the later deploy found its saved plan stale and planned again");
    for (const o of outputs) expect(o).not.toContain(PASSWORD);
  });
});

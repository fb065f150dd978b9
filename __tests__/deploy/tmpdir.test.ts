// terraform runs with a TMPDIR that outlives the run: the libvirt provider keeps its cloud-init ISOs
// there, and a run under systemd's PrivateTmp would otherwise lose them and replace every seed volume.
import * as fs from "node:fs";
import * as path from "node:path";
import { cleanup, runDeploy, testEnv, tmpDir, writeStack } from "./helpers";

afterAll(cleanup);

test("terraform's TMPDIR is tmp/ in the stack's working directory, private and kept", async () => {
  const synthDir = tmpDir();
  const stateDir = path.join(tmpDir(), "state");
  const seen = path.join(tmpDir(), "tmpdir.txt");
  writeStack(synthDir, "web", {
    probe: { provisioner: [{ "local-exec": { command: `printf %s "$TMPDIR" > ${seen}` } }] },
  });
  const run = await runDeploy(["--no-synth", "--synth-dir", synthDir, "--state-dir", stateDir], testEnv({ TMPDIR: "/tmp" }));
  expect(run.code).toBe(0);
  const expected = path.join(stateDir, "web", "tmp");
  expect(fs.readFileSync(seen, "utf8")).toBe(expected);
  expect(fs.statSync(expected).mode & 0o777).toBe(0o700);
});

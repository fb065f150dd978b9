// Resources a stack marks as holding no data (cloud-init seed volumes) may be replaced without an
// allow-list entry; everything else keeps the full check.
import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { readMarks } from "../../deploy/stack-marks";
import { checkPlan, formatSummary, parsePlanJson } from "../../deploy/plan-check";
import { TestvmStack } from "../../examples/testvm";
import { attrs, cleanup, readState, runDeploy, testEnv, tmpDir, writeStack } from "./helpers";

afterAll(cleanup);

const FIXTURES = path.resolve(__dirname, "../fixtures/plans");
const replacePlan = () => parsePlanJson(fs.readFileSync(path.join(FIXTURES, "replace.json"), "utf8"));
const marked = { "//": { "cdktf-libvirt": { disposable: "cloud-init seed" } } };

describe("stack marks: disposable and retained resources, domain names", () => {
  test("the constructs mark the cloud-init seed volume as disposable, the disks and image as retained, and name the domain", () => {
    // a full synth: Testing.synth strips the "//" keys the marker lives in
    const dir = Testing.fullSynth(new TestvmStack(Testing.app(), "testvm"));
    const stack = JSON.parse(fs.readFileSync(path.join(dir, "stacks/testvm/cdk.tf.json"), "utf8"));
    expect(Object.fromEntries(readMarks(stack))).toEqual({
      "libvirt_domain.local_testvm": { domain: { name: "testvm", uri: "qemu:///system" } },
      "libvirt_volume.local_debian-12": { retained: true },
      "libvirt_volume.local_testvm_CloudInit": { disposable: "cloud-init seed, rebuilt from the configuration" },
      "libvirt_volume.local_testvm_SystemDisk": { retained: true },
    });
  });

  test("a marked replace passes the check and is listed with its reason; unmarked ones are still refused", () => {
    const plan = replacePlan();
    const result = checkPlan(plan, { protectedTypes: ["terraform_data"], disposable: new Map([["terraform_data.b", "cloud-init seed"]]) });
    expect(result.refused).toEqual([]);
    expect(formatSummary(result).join("\n")).toContain("-/+ terraform_data.b  (replace; a changed attribute forces replacement; allowed: holds no data (cloud-init seed))");
    const other = checkPlan(plan, { protectedTypes: ["terraform_data"], disposable: new Map([["terraform_data.a", "x"]]) });
    expect(other.refused.map((c) => c.address)).toEqual(["terraform_data.b"]);
  });

  test("end to end: deploy replaces a marked resource of a protected type without --allow-destroy", async () => {
    const synthDir = tmpDir();
    const stateDir = path.join(tmpDir(), "state");
    const env = testEnv();
    const args = ["--no-synth", "--synth-dir", synthDir, "--state-dir", stateDir, "--protect-type", "terraform_data"];
    writeStack(synthDir, "seed", { seed: { triggers_replace: ["v1"], ...marked } });
    expect((await runDeploy(args, env)).code).toBe(0);
    const stateFile = path.join(stateDir, "seed", "terraform.tfstate");
    const before = attrs(readState(stateFile), "seed").id;
    writeStack(synthDir, "seed", { seed: { triggers_replace: ["v2"], ...marked } });
    const run = await runDeploy(args, env);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("allowed: holds no data (cloud-init seed)");
    expect(attrs(readState(stateFile), "seed").id).not.toBe(before);
  });
});

describe("retained resources that leave the configuration are forgotten, not deleted", () => {
  const retained = { lifecycle: { prevent_destroy: true } };

  test("deploy drops a removed retained resource from the state with a removed block, keeps the rest, and remembers marks across runs", async () => {
    const synthDir = tmpDir();
    const stateDir = path.join(tmpDir(), "state");
    const env = testEnv();
    const args = ["--no-synth", "--synth-dir", synthDir, "--state-dir", stateDir, "--protect-type", "terraform_data"];
    writeStack(synthDir, "keep", { disk: { input: "data", ...retained }, other: { input: "x" } });
    expect((await runDeploy(args, env)).code).toBe(0);
    writeStack(synthDir, "keep", { other: { input: "x" } });
    const run = await runDeploy(args, env);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("retained resources left the configuration; they stay in libvirt and leave the state (delete one with --allow-destroy ADDR):\n[deploy]   terraform_data.disk");
    expect(run.stderr).toContain("plan: 0 to create, 0 to update, 0 to replace, 0 to delete, 1 to forget\n[deploy]   .   terraform_data.disk  (forget; it was removed from the configuration)");
    const state = readState(path.join(stateDir, "keep", "terraform.tfstate"));
    expect(state.resources.map((r) => r.name)).toEqual(["other"]);
    // after a successful apply only the configuration's own marks are kept
    expect(JSON.parse(fs.readFileSync(path.join(stateDir, "keep", "resource-marks.json"), "utf8"))).toEqual({});
  });

  test("with --allow-destroy it is deleted instead; an unretained one of a protected type is refused", async () => {
    const synthDir = tmpDir();
    const stateDir = path.join(tmpDir(), "state");
    const env = testEnv();
    const args = ["--no-synth", "--synth-dir", synthDir, "--state-dir", stateDir, "--protect-type", "terraform_data"];
    writeStack(synthDir, "del", { disk: { input: "data", ...retained }, plain: { input: "p" }, other: { input: "x" } });
    expect((await runDeploy(args, env)).code).toBe(0);
    writeStack(synthDir, "del", { other: { input: "x" } });
    const refused = await runDeploy(args, env);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("--allow-destroy 'terraform_data.plain'");
    expect(refused.stderr).not.toContain("--allow-destroy 'terraform_data.disk'");
    const run = await runDeploy([...args, "--allow-destroy", "terraform_data.plain", "--allow-destroy", "terraform_data.disk"], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("-   terraform_data.disk  (delete; it was removed from the configuration; allowed by --allow-destroy)");
    expect(readState(path.join(stateDir, "del", "terraform.tfstate")).resources.map((r) => r.name)).toEqual(["other"]);
  });
});

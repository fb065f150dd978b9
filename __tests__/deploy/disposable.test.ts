// Resources a stack marks as holding no data (cloud-init seed volumes) may be replaced without an
// allow-list entry; everything else keeps the full check.
import * as fs from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { disposableResources } from "../../deploy/disposable";
import { checkPlan, formatSummary, parsePlanJson } from "../../deploy/plan-check";
import { TestvmStack } from "../../examples/testvm";
import { attrs, cleanup, readState, runDeploy, testEnv, tmpDir, writeStack } from "./helpers";

afterAll(cleanup);

const FIXTURES = path.resolve(__dirname, "../fixtures/plans");
const replacePlan = () => parsePlanJson(fs.readFileSync(path.join(FIXTURES, "replace.json"), "utf8"));
const marked = { "//": { "cdktf-libvirt": { disposable: "cloud-init seed" } } };

describe("disposable resources", () => {
  test("the constructs mark the cloud-init seed volume, and only it", () => {
    // a full synth: Testing.synth strips the "//" keys the marker lives in
    const dir = Testing.fullSynth(new TestvmStack(Testing.app(), "testvm"));
    const stack = JSON.parse(fs.readFileSync(path.join(dir, "stacks/testvm/cdk.tf.json"), "utf8"));
    expect([...disposableResources(stack)]).toEqual([["libvirt_volume.local_testvm_CloudInit", "cloud-init seed, rebuilt from the configuration"]]);
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

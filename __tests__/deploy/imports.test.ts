// Imports through deploy, against the real binary: terraform_data accepts any id in an import block, so
// the plan JSON is what terraform emits when a stack adopts existing objects (change.importing).
import * as path from "node:path";
import { attrs, cleanup, readState, runDeploy, testEnv, tmpDir, writeStack, type Resources } from "./helpers";

afterAll(cleanup);

/** import blocks for `ids` (address name -> id), as cdktf renders importFrom. */
const imports = (ids: Record<string, string>) => ({ import: Object.entries(ids).map(([name, id]) => ({ to: `terraform_data.${name}`, id })) });

describe("deploy with import blocks", () => {
  const env = testEnv();
  const setup = () => {
    const synthDir = tmpDir();
    const stateDir = path.join(tmpDir(), "state");
    const base = ["--no-synth", "--synth-dir", synthDir, "--state-dir", stateDir, "--protect-type", "terraform_data"];
    return {
      stack: (r: Resources, ids: Record<string, string>) => writeStack(synthDir, "web", r, imports(ids)),
      deploy: (...extra: string[]) => runDeploy([...base, ...extra], env),
      stateFile: path.join(stateDir, "web", "terraform.tfstate"),
    };
  };

  test("imports are counted apart from creates; an import then updated is both; the second deploy changes nothing", async () => {
    const { stack, deploy, stateFile } = setup();
    stack({ a: { input: "x" }, b: {}, c: { input: "new" } }, { a: "id-a", b: "id-b" });
    const planned = await deploy("--plan-only");
    expect(planned.code).toBe(2);
    const lines = planned.stderr.split("\n").map((l) => l.replace(/^\[deploy\] /, ""));
    const at = lines.findIndex((l) => l.startsWith("plan:"));
    expect(lines.slice(at, at + 4)).toEqual([
      "plan: 1 to create, 1 to update, 0 to replace, 0 to delete, 2 to import",
      "  i~  terraform_data.a  (import id-a; update)",
      "  i   terraform_data.b  (import id-b)",
      "  +   terraform_data.c  (create)",
    ]);

    expect((await deploy()).code).toBe(0);
    const state = readState(stateFile);
    expect([attrs(state, "a").id, attrs(state, "a").input, attrs(state, "b").id]).toEqual(["id-a", "x", "id-b"]);
    const again = await deploy();
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("no changes: stack web matches the configuration");
  });

  test("an import that would replace a protected type destroys the adopted object: refused like any replace", async () => {
    const { stack, deploy } = setup();
    stack({ d: { triggers_replace: ["t"] } }, { d: "id-d" });
    const refused = await deploy();
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("plan: 0 to create, 0 to update, 1 to replace, 0 to delete, 1 to import");
    expect(refused.stderr).toContain("i-/+ terraform_data.d  (import id-d; replace; a changed attribute forces replacement)");
    expect(refused.stderr).toContain("reason: terraform_data is a protected type; replacing it destroys the existing object");
  });
});

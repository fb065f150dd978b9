// A broken assumption inside deploy is not the user's fault: deploy says so, prints the stack for a
// report, and exits 70, unlike the errors of the taxonomy (one line, their own code).
import { Writable } from "node:stream";
import { InternalError, UsageError } from "../../deploy/errors";

jest.mock("../../deploy/pipeline", () => ({ deploy: jest.fn() }));
const pipeline = require("../../deploy/pipeline") as { deploy: jest.Mock };
import { main } from "../../deploy/main";

async function run(error: Error): Promise<{ code: number; stderr: string }> {
  pipeline.deploy.mockRejectedValueOnce(error);
  let stderr = "";
  const sink = new Writable({ write: (chunk, _enc, cb) => ((stderr += chunk.toString()), cb()) });
  const code = await main(["--no-synth", "--synth-dir", "/nonexistent"], { stdout: sink, stderr: sink, env: {}, cwd: "/" });
  return { code, stderr };
}

test("an InternalError: exit 70, with its stack", async () => {
  const { code, stderr } = await run(new InternalError("the plan that forgets retained resources shows no changes"));
  expect(code).toBe(70);
  expect(stderr).toContain("[deploy] internal error (this should never happen; please report it with the lines below)");
  expect(stderr).toContain("InternalError: the plan that forgets retained resources shows no changes");
  expect(stderr).toMatch(/\[deploy\]\s+at /);
});

test("an error of the taxonomy: its message and its exit code, no stack", async () => {
  const { code, stderr } = await run(new UsageError("--stack: missing"));
  expect(code).toBe(2);
  expect(stderr).toBe("[deploy] error: --stack: missing\n");
});

test("anything else that escapes: exit 70 too", async () => {
  const { code, stderr } = await run(new TypeError("x is undefined"));
  expect(code).toBe(70);
  expect(stderr).toContain("TypeError: x is undefined");
});

// Binary resolution and the environment terraform runs with.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "../../deploy/errors";
import { resolveBinary, toolEnv, unwritableStateCause } from "../../deploy/terraform";
import { BINARY, cleanup, memoryLogger, tmpDir } from "./helpers";

afterAll(cleanup);

describe("binary and environment", () => {
  test("without --binary, tofu is preferred and terraform is the noted fallback", () => {
    const bin = tmpDir();
    const real = spawnSync("sh", ["-c", `command -v ${BINARY}`]).stdout.toString().trim();
    fs.symlinkSync(real, path.join(bin, "terraform"));
    const { log, lines } = memoryLogger();
    expect(resolveBinary(undefined, { PATH: bin }, log)).toEqual({ file: path.join(bin, "terraform"), name: "terraform" });
    expect(lines.join("")).toContain("tofu is not on PATH");
    fs.symlinkSync(real, path.join(bin, "tofu"));
    expect(resolveBinary(undefined, { PATH: bin }, log).name).toBe("tofu");
    expect(() => resolveBinary(undefined, { PATH: tmpDir() }, log)).toThrow("neither tofu nor terraform");
    expect(() => resolveBinary("/nope/tofu", { PATH: bin }, log)).toThrow(UsageError);
  });

  test("terraform always runs non-interactively, and TF_CLI_ARGS* are dropped", () => {
    const env = toolEnv({ PATH: "/bin", TF_CLI_ARGS: "-x", TF_CLI_ARGS_apply: "-y", TF_VAR_a: "1" }, { cliConfig: "/rc" });
    expect(env).toEqual({
      PATH: "/bin",
      TF_VAR_a: "1",
      TF_IN_AUTOMATION: "1",
      CHECKPOINT_DISABLE: "1",
      TF_INPUT: "0",
      TF_CLI_CONFIG_FILE: "/rc",
    });
  });
});

test("a state lock that failed because the state file cannot be opened for writing is told apart from a held lock", () => {
  // as terraform 1.11 prints it for an immutable state file
  const immutable = "Error: Error acquiring the state lock\n\nError message: open terraform.tfstate: operation not permitted\n";
  expect(unwritableStateCause(immutable)).toBe("open terraform.tfstate: operation not permitted");
  expect(unwritableStateCause("Error: Error acquiring the state lock\n\nError message: resource temporarily unavailable\n")).toBeUndefined();
});

// deploy's default synth: the app command of the app's cdktf.json, run as cdktf synth runs it (in the
// app's folder, CDKTF_OUTDIR, the context), without the cdktf CLI and without a shell.
import * as fs from "node:fs";
import * as path from "node:path";
import { appCommand } from "../../deploy/app-command";
import { cleanup, REPO, runDeploy, testEnv, tmpDir } from "./helpers";

afterAll(cleanup);

function app(config: unknown): string {
  const dir = tmpDir("app-");
  fs.writeFileSync(path.join(dir, "cdktf.json"), typeof config === "string" ? config : JSON.stringify(config));
  return dir;
}

describe("the app command of cdktf.json", () => {
  test("split on whitespace, with the context", () => {
    expect(appCommand(app({ app: "  node  dist/main.js ", context: { env: "lab" } }))).toEqual({ argv: ["node", "dist/main.js"], context: { env: "lab" } });
    expect(appCommand(app({ app: "npx ts-node main.ts" })).context).toEqual({});
  });

  test.each([
    [{ app: "npm run build && node dist/main.js" }, 'needs a shell, and deploy runs no shell: give the command with --synth-command'],
    [{ app: "node main.js $FOO" }, "needs a shell"],
    [{ app: "" }, '"app" must name the command that runs the app, e.g. "node dist/main.js"'],
    [{ language: "typescript" }, '"app" must name the command that runs the app'],
    ["{ not json", "cannot be read: "],
  ])("refused: %j", (config, message) => {
    expect(() => appCommand(app(config))).toThrow(message);
  });

  test("no cdktf.json: says where it looked", () => {
    const dir = tmpDir("app-");
    expect(() => appCommand(dir)).toThrow(`${path.join(dir, "cdktf.json")}: not found: give --app-dir the app's folder, or --synth-command`);
  });

  test("deploy synthesizes the repository's own app this way: a usage error (exit 2) when cdktf.json is missing", async () => {
    const r = await runDeploy(["--app-dir", tmpDir("no-app-"), "--state-dir", path.join(tmpDir(), "state")], testEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cdktf\.json: not found: give --app-dir the app's folder, or --synth-command/);
    expect(fs.existsSync(path.join(REPO, "cdktf.json"))).toBe(true);
  });
});

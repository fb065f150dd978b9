import { DEFAULT_STATE_DIR, parseDeployArgs, parseDuration, type DeployOptions } from "../../deploy/args";
import { UsageError } from "../../deploy/errors";

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}): DeployOptions => {
  const r = parseDeployArgs(argv, env, "/home/op/app");
  if (r.help) throw new Error("unexpected --help");
  return r.options;
};

describe("parseDeployArgs", () => {
  test("defaults", () => {
    expect(parse([])).toEqual({
      appDir: "/home/op/app",
      synthDir: "/home/op/app/cdktf.out",
      synthCommand: "cdktf.json",
      stack: undefined,
      stateDir: DEFAULT_STATE_DIR,
      binary: undefined,
      pluginDirs: [],
      cliConfig: undefined,
      lockTimeout: "5m",
      lockTimeoutMs: 300_000,
      allowDestroy: [],
      allowDestroyFiles: [],
      protectTypes: ["libvirt_volume", "libvirt_pool", "libvirt_domain"],
      keepBackups: 20,
      acceptEmptyState: false,
      secrets: [],
      addressWaitMs: 0,
      dryRun: false,
      planOnly: false,
    });
  });

  test("--wait-for-addresses takes a duration like --lock-timeout", () => {
    expect(parse(["--wait-for-addresses", "3m"]).addressWaitMs).toBe(180_000);
    expect(() => parse(["--wait-for-addresses", "soon"])).toThrow('--wait-for-addresses: expected a duration such as 30s, 5m or 1h30m (got "soon")');
  });

  test("every flag, repeatable ones repeated, relative paths resolved against cwd", () => {
    const o = parse([
      "--app-dir", "/srv/app", "--synth-dir", "out", "--synth-command", "  node  dist/main.js --out={synthDir} ",
      "--stack", "host-1", "--state-dir", "state", "--binary", "./bin/tofu",
      "--plugin-dir", "/p1", "--plugin-dir", "p2", "--cli-config", "rc", "--lock-timeout", "1m30s",
      "--allow-destroy", "libvirt_volume.a", "--allow-destroy", 'libvirt_volume.b["x"]', "--allow-destroy-file", "allow.txt",
      "--protect-type", "terraform_data", "--keep-backups", "3", "--accept-empty-state", "--secret", "password", "--secret", "ssh_key", "--dry-run",
    ]);
    expect(o).toMatchObject({
      appDir: "/srv/app",
      synthDir: "/home/op/app/out",
      synthCommand: ["node", "dist/main.js", "--out=/home/op/app/out"],
      stack: "host-1",
      stateDir: "/home/op/app/state",
      binary: "/home/op/app/bin/tofu",
      pluginDirs: ["/p1", "/home/op/app/p2"],
      cliConfig: "/home/op/app/rc",
      lockTimeout: "1m30s",
      lockTimeoutMs: 90_000,
      allowDestroy: ["libvirt_volume.a", 'libvirt_volume.b["x"]'],
      allowDestroyFiles: ["/home/op/app/allow.txt"],
      protectTypes: ["terraform_data"],
      keepBackups: 3,
      acceptEmptyState: true,
      secrets: ["password", "ssh_key"],
      dryRun: true,
    });
  });

  test("--no-synth; binary from CDKTF_LIBVIRT_TOFU unless --binary is given", () => {
    expect(parse(["--no-synth"]).synthCommand).toBeUndefined();
    expect(parse([], { CDKTF_LIBVIRT_TOFU: "tofu-1.8" }).binary).toBe("tofu-1.8");
    expect(parse(["--binary", "terraform"], { CDKTF_LIBVIRT_TOFU: "tofu-1.8" }).binary).toBe("terraform");
  });

  test("--help", () => {
    expect(parseDeployArgs(["-h"], {}, "/").help).toBe(true);
  });

  test.each([
    [["--bogus"], "Unknown option '--bogus'"],
    [["stray"], "Unexpected argument 'stray'"],
    [["--stack"], "argument missing"],
    [["--no-synth", "--synth-command", "x"], "contradict"],
    [["--synth-command", "  "], "must name a program"],
    [["--stack", "../etc"], "not a plain stack name"],
    [["--secret", "TF-VAR"], "must be a variable name"],
    [["--secret", "1x"], "must be a variable name"],
    [["--keep-backups", "0"], "at least 1"],
    [["--keep-backups", "2.5"], "at least 1"],
    [["--lock-timeout", "5"], "expected a duration"],
    [["--state-dir", ""], "must not be empty"],
  ])("%j is a usage error mentioning %s", (argv, message) => {
    expect(() => parse(argv)).toThrow(UsageError);
    expect(() => parse(argv)).toThrow(message);
  });
});

describe("parseDuration", () => {
  test.each([
    ["0s", 0],
    ["500ms", 500],
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["1.5s", 1500],
  ])("%s = %d ms", (text, ms) => expect(parseDuration(text)).toBe(ms));
});

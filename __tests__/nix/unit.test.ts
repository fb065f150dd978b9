import * as fs from "fs";
import * as path from "path";
import { parseDeployArgs } from "../../deploy/args";
import { FAKE_PATHS, ROOT, nixEval, nixEvalText, nixFile, nixString, tempDir } from "./helpers";

// nix/unit.nix (the unit's command line, environment, credentials and checks), nix/provider.nix and
// nix/npm-lock.nix, evaluated without nixpkgs. The unit's argv goes through deploy's own parser.

interface Assertion {
  assertion: boolean;
  message: string;
}
interface Unit {
  argv: string[];
  execStart: string;
  environment: Record<string, string>;
  loadCredential: string[];
  localLibvirt: boolean;
  requires: string[];
  after: string[];
  wants: string[];
  supplementaryGroups: string[];
  stateDirectory: string | null;
  readWritePaths: string[];
  tmpfiles: string[];
  assertions: Assertion[];
  warnings: string[];
  secretRefs: { name: string; at: string }[];
  ok: boolean;
}

const fake = `{ ${Object.entries(FAKE_PATHS)
  .map(([k, v]) => `${k} = ${nixString(v)};`)
  .join(" ")} }`;

function unitOf(values: string): string {
  return `import ${nixFile("nix/unit.nix")} ((${values}) // ${fake})`;
}

const testvm = `import ${nixFile("nix/examples/testvm.nix")}`;
const lab = `import ${nixFile("nix/examples/lab.nix")}`;

const failed = (u: Unit) => u.assertions.filter((a) => !a.assertion).map((a) => a.message);

/** systemd's ExecStart= words as nix/unit.nix quotes them (JSON strings, % and $ doubled). */
function execStartWords(line: string): string[] {
  const words = line.match(/"(?:[^"\\]|\\.)*"/g) ?? [];
  expect(words.join(" ")).toBe(line);
  return words.map((w) => JSON.parse(w.replace(/%%/g, "%").replace(/\$\$/g, "$")) as string);
}

describe("nix/unit.nix for the testvm example", () => {
  const units = nixEval<{ plain: Unit; custom: Unit }>(`{
    plain = ${unitOf(testvm)};
    custom = ${unitOf(`${testvm} // {
      stateDir = "/srv/cdktf state";
      cliConfig = "/etc/tofurc";
      lockTimeout = "90s";
      allowDestroy = [ "libvirt_volume.local_testvm_SystemDisk_1a2b3c4d" ];
      extraArgs = [ "--keep-backups" "50" "--allow-destroy-file" "/etc/odd 100% $HOME \\"q\\".txt" ];
    }`)};
  }`);

  test("runs deploy for the stack with the state, cache, tofu and plugin dir", () => {
    expect(units.plain.argv).toEqual([
      FAKE_PATHS.deployProgram,
      "--stack",
      "testvm",
      "--synth-dir",
      "/var/cache/cdktf-libvirt/synth",
      "--state-dir",
      "/var/lib/cdktf-libvirt",
      "--binary",
      FAKE_PATHS.tofuProgram,
      "--lock-timeout",
      "5m",
      "--plugin-dir",
      FAKE_PATHS.pluginDir,
    ]);
    expect(units.plain.ok).toBe(true);
    expect(units.plain.warnings).toEqual([]);
  });

  test("deploy's own argument parser accepts the command line and reads what the module meant", () => {
    const parsed = parseDeployArgs(units.custom.argv.slice(1), {}, "/");
    expect(parsed.help).toBe(false);
    if (parsed.help) return;
    expect(parsed.options).toMatchObject({
      stack: "testvm",
      synthDir: "/var/cache/cdktf-libvirt/synth",
      stateDir: "/srv/cdktf state",
      binary: FAKE_PATHS.tofuProgram,
      pluginDirs: [FAKE_PATHS.pluginDir],
      cliConfig: "/etc/tofurc",
      lockTimeout: "90s",
      lockTimeoutMs: 90_000,
      allowDestroy: ["libvirt_volume.local_testvm_SystemDisk_1a2b3c4d"],
      allowDestroyFiles: ['/etc/odd 100% $HOME "q".txt'],
      keepBackups: 50,
      secrets: [],
      dryRun: false,
    });
  });

  test("ExecStart= quotes every word so that systemd reads back the same argv", () => {
    expect(execStartWords(units.plain.execStart)).toEqual(units.plain.argv);
    expect(units.custom.execStart).toContain('"/etc/odd 100%% $$HOME \\"q\\".txt"');
    expect(execStartWords(units.custom.execStart)).toEqual(units.custom.argv);
  });

  test("environment: the spec file, the binary cdktf synth asks for its version, no telemetry", () => {
    expect(units.plain.environment).toEqual({
      CDKTF_LIBVIRT_SPEC: FAKE_PATHS.specFile,
      TERRAFORM_BINARY_NAME: FAKE_PATHS.tofuProgram,
      CHECKPOINT_DISABLE: "1",
    });
  });

  test("a local URI means libvirtd: required, ordered after, reached as group libvirtd", () => {
    expect(units.plain.localLibvirt).toBe(true);
    expect(units.plain.requires).toEqual(["libvirtd.service"]);
    expect(units.plain.after).toEqual(["network-online.target", "libvirtd.service"]);
    expect(units.plain.wants).toEqual(["network-online.target"]);
    expect(units.plain.supplementaryGroups).toEqual(["libvirtd"]);
  });

  test("state: StateDirectory under /var/lib, else tmpfiles and ReadWritePaths", () => {
    expect(units.plain).toMatchObject({ stateDirectory: "cdktf-libvirt", readWritePaths: [], tmpfiles: [] });
    expect(units.custom).toMatchObject({
      stateDirectory: null,
      readWritePaths: ["/srv/cdktf state"],
      tmpfiles: ["d /srv/cdktf state 0700 cdktf-libvirt cdktf-libvirt -"],
    });
  });
});

describe("secrets", () => {
  let dir: string;
  let secretFile: string;
  let planted: string;
  let output: string;
  let result: { spec: any; unit: Unit };

  beforeAll(() => {
    dir = tempDir("secret");
    planted = `cdktf-libvirt-planted-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    secretFile = path.join(dir, "admin-hash");
    fs.writeFileSync(secretFile, `${planted}\n`, { mode: 0o600 });
    const values = `let ex = ${testvm}; in ex // {
      secrets.admin_password_hash = ${nixString(secretFile)};
      vms.testvm = ex.vms.testvm // {
        cloudInit.users = [ { name = "admin"; passwordHash = { secret = "admin_password_hash"; }; } ];
      };
    }`;
    output = nixEvalText(`{ spec = import ${nixFile("nix/spec.nix")} (${values}); unit = ${unitOf(values)}; }`);
    result = JSON.parse(output);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("the value planted in the secret file appears in none of the evaluated outputs", () => {
    expect(fs.readFileSync(secretFile, "utf8")).toContain(planted);
    expect(output).not.toContain(planted);
  });

  test("only its path does: as a LoadCredential and a --secret name, with a reference in the spec", () => {
    expect(result.unit.loadCredential).toEqual([`admin_password_hash:${secretFile}`]);
    expect(result.unit.argv.slice(-2)).toEqual(["--secret", "admin_password_hash"]);
    expect(result.unit.secretRefs).toEqual([
      { name: "admin_password_hash", at: "services.cdktf-libvirt.vms.testvm.cloudInit.users[0].passwordHash" },
    ]);
    expect(result.spec.stacks.testvm.hosts.local.vms.testvm.cloudInit.users[0].passwordHash).toEqual({ secret: "admin_password_hash" });
    expect(result.unit.ok).toBe(true);
    const parsed = parseDeployArgs(result.unit.argv.slice(1), {}, "/");
    expect(!parsed.help && parsed.options.secrets).toEqual(["admin_password_hash"]);
  });
});

describe("checks that become assertions, each naming its option", () => {
  const hostFirmware = `import ${nixFile("nix/uefi.nix")} { layout = "edk2"; }`;
  const units = nixEval<{ bad: Unit; unused: Unit; remote: Unit; lab: Unit; labWithoutFirmware: Unit; ownPaths: Unit }>(`{
    bad = ${unitOf(`${testvm} // {
      stack = "Not_A_Label";
      stateDir = "/nix/store/abc-state";
      lockTimeout = "five minutes";
      secrets = { "Bad-Name" = "/run/secrets/x"; in_store = "/nix/store/abc-secret"; };
      allowDestroy = [ "not an address" ];
      vms.testvm = (${testvm}).vms.testvm // { cloudInit.users = [ { name = "a"; passwordHash.secret = "missing"; } ]; };
    }`)};
    unused = ${unitOf(`${testvm} // { secrets.spare = "/run/secrets/spare"; }`)};
    remote = ${unitOf(`${testvm} // { uri = "qemu+ssh://root@hv1/system"; }`)};
    lab = ${unitOf(`${lab} // { uefi = { inherit (${hostFirmware}) loader nvramTemplate; }; }`)};
    labWithoutFirmware = ${unitOf(lab)};
    ownPaths = ${unitOf(`${lab} // { vms = (${lab}).vms // { web = (${lab}).vms.web // { firmware.uefi = { loader = "/srv/code.fd"; }; }; }; }`)};
  }`);

  test("bad values fail with messages that name the option path", () => {
    expect(failed(units.bad)).toEqual([
      expect.stringMatching(/^services\.cdktf-libvirt\.stack: "Not_A_Label" must be an RFC 1123 label/),
      expect.stringMatching(/^services\.cdktf-libvirt\.stateDir: "\/nix\/store\/abc-state" must be an absolute path outside the Nix store/),
      expect.stringMatching(/^services\.cdktf-libvirt\.lockTimeout: "five minutes" is not a duration/),
      expect.stringMatching(/^services\.cdktf-libvirt\.secrets\.Bad-Name: a secret's name must be lowercase/),
      expect.stringMatching(/^services\.cdktf-libvirt\.secrets\.in_store: give the path of a file outside the Nix store/),
      expect.stringMatching(
        /^services\.cdktf-libvirt\.vms\.testvm\.cloudInit\.users\[0\]\.passwordHash refers to the secret "missing", but services\.cdktf-libvirt\.secrets\.missing is not set/,
      ),
      expect.stringMatching(/^services\.cdktf-libvirt\.allowDestroy: "not an address" is not a resource address/),
    ]);
    expect(units.bad.ok).toBe(false);
  });

  test("a secret nothing refers to is a warning, not an error", () => {
    expect(units.unused.ok).toBe(true);
    expect(units.unused.warnings).toEqual([
      'services.cdktf-libvirt.secrets.spare is set but nothing in the spec refers to { secret = "spare"; }; it is still passed to the unit.',
    ]);
  });

  test("a remote URI does not tie the unit to the local libvirtd", () => {
    expect(units.remote).toMatchObject({ localLibvirt: false, requires: [], after: ["network-online.target"], supplementaryGroups: [] });
  });

  test("the lab example passes every check", () => {
    expect(failed(units.lab)).toEqual([]);
    expect(units.lab.loadCredential).toEqual(["admin_password_hash:/run/secrets/lab-admin-hash"]);
    expect(units.lab.argv).toEqual(expect.arrayContaining(["--allow-destroy", "libvirt_domain.local_worker_1"]));
  });

  test("the host's UEFI files reach the stack as its Terraform variables", () => {
    expect(units.lab.environment).toMatchObject({
      TF_VAR_libvirt_uefi_loader: "/run/libvirt/nix-ovmf/edk2-x86_64-code.fd",
      TF_VAR_libvirt_uefi_nvram_template: "/run/libvirt/nix-ovmf/edk2-i386-vars.fd",
    });
    expect(Object.keys(units.labWithoutFirmware.environment).filter((k) => k.startsWith("TF_VAR_"))).toEqual([]);
  });

  test("a UEFI VM without its own paths needs the host's, named by the VM's option path", () => {
    const uefiMessages = (u: Unit) => failed(u).filter((m) => m.includes("UEFI"));
    expect(uefiMessages(units.labWithoutFirmware)).toEqual([
      expect.stringMatching(/^services\.cdktf-libvirt\.vms\.web\.firmware: UEFI takes its loader from the host, but services\.cdktf-libvirt\.uefi\.loader is null; enable services\.cdktf-libvirt\.host/),
      expect.stringMatching(/^services\.cdktf-libvirt\.vms\.web\.firmware: UEFI takes its nvramTemplate from the host, .*"\/run\/libvirt\/nix-ovmf\/edk2-i386-vars\.fd"/),
    ]);
    // a path the VM names itself is not needed from the host
    expect(uefiMessages(units.ownPaths)).toEqual([expect.stringContaining("its nvramTemplate from the host")]);
  });
});

describe("nix/unit.nix for an app of the user's own (services.cdktf-libvirt.app)", () => {
  const APP = "/nix/store/44444444444444444444444444444444-web-pair-infra-1.0.0";
  const withApp = `{ stack = "web"; app = "${APP}"; secrets.ops_hash = "/run/secrets/ops"; }`;
  const units = nixEval<{ app: Unit; both: Unit }>(`{
    app = import ${nixFile("nix/unit.nix")} (${fake} // ${withApp} // { specFile = null; });
    both = ${unitOf(withApp)};
  }`);

  test("synthesizes the app in its own directory (its cdktf.json's app); no spec file", () => {
    expect(units.app.argv.slice(-2)).toEqual(["--app-dir", APP]);
    expect(units.app.environment.CDKTF_LIBVIRT_SPEC).toBeUndefined();
    expect(units.app.ok).toBe(true);
    // the app declares its Secrets in TypeScript: a secret with no reference in a spec is no warning here
    expect(units.app.warnings).toEqual([]);
    const parsed = parseDeployArgs(units.app.argv.slice(1), {}, "/");
    if (parsed.help) throw new Error("unexpected --help");
    expect(parsed.options).toMatchObject({ appDir: APP, synthCommand: "cdktf.json", secrets: ["ops_hash"] });
  });

  test("an app and a spec from attribute sets at once is refused", () => {
    expect(failed(units.both)).toEqual(["services.cdktf-libvirt: give the stack either as attribute sets (vms, networks, ...) or as services.cdktf-libvirt.app, a cdktf app of your own; not both."]);
  });
});

describe("nix/npm-lock.nix", () => {
  // importNpmLock fetches each package from its "resolved" URL; the committed lock has none
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
  const patched = nixEval<{ packages: Record<string, any> }>(
    `{ packages = (import ${nixFile("nix/npm-lock.nix")} (builtins.fromJSON (builtins.readFile ${nixFile("package-lock.json")}))).packages; }`,
  );

  test("every fetched entry gets a registry URL; bundled ones, the root and the workspace's own package do not", () => {
    const local = (k: string) => !k.includes("node_modules/");
    const missing = Object.entries(patched.packages).filter(([k, v]) => !local(k) && !v.inBundle && !v.link && !v.resolved);
    expect(missing.map(([k]) => k)).toEqual([]);
    for (const [k, v] of Object.entries(patched.packages)) {
      if (local(k) || v.inBundle || v.link) expect(v.resolved).toBe(lock.packages[k].resolved);
    }
    expect(patched.packages["packages/cdktf-libvirt"].resolved).toBeUndefined();
  });

  test("URLs follow the registry's tarball layout, by real name for aliases and scoped names", () => {
    const url = (key: string) => patched.packages[key].resolved;
    const version = (key: string) => lock.packages[key].version;
    expect(url("node_modules/cdktf")).toBe(`https://registry.npmjs.org/cdktf/-/cdktf-${version("node_modules/cdktf")}.tgz`);
    expect(url("node_modules/@cdktf/provider-generator")).toBe(
      `https://registry.npmjs.org/@cdktf/provider-generator/-/provider-generator-${version("node_modules/@cdktf/provider-generator")}.tgz`,
    );
    const aliased = Object.keys(lock.packages).find((k) => k !== "" && lock.packages[k].name && !lock.packages[k].inBundle);
    if (!aliased) throw new Error("expected an aliased package in package-lock.json (e.g. string-width-cjs)");
    const real = lock.packages[aliased].name;
    expect(url(aliased)).toBe(`https://registry.npmjs.org/${real}/-/${real.replace(/^@[^/]+\//, "")}-${version(aliased)}.tgz`);
  });

  test("nothing else in the lock changes", () => {
    for (const [k, v] of Object.entries(patched.packages)) {
      const { resolved, ...rest } = v;
      const { resolved: origResolved, ...origRest } = lock.packages[k];
      expect(rest).toEqual(origRest);
      if (origResolved !== undefined) expect(resolved).toBe(origResolved);
    }
  });
});

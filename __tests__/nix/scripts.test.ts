import * as fs from "fs";
import * as path from "path";
import { parseDeployArgs } from "../../deploy/args";
import { NIX_DIR, requireTool, run, tempDir } from "./helpers";

// The shell scripts the package and the module run, exercised on stand-in trees: install.sh and the
// cdktf-libvirt-deploy wrapper it writes, plugin-dir.sh, default-pool.sh (with a fake virsh).

const bash = () => requireTool("bash", "the shell scripts are bash");
const script = (name: string) => path.join(NIX_DIR, name);

let dir: string;
beforeAll(() => {
  dir = tempDir("scripts");
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(file: string, text: string, mode = 0o644): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode });
}

describe("install.sh and the cdktf-libvirt-deploy wrapper", () => {
  let out: string;
  let app: string;

  beforeAll(() => {
    // a built source tree in miniature; main.js reports how it was started
    const src = path.join(dir, "src");
    write(
      path.join(src, "dist", "deploy", "main.js"),
      `console.log(JSON.stringify({ argv: process.argv.slice(2), path: process.env.PATH, checkpoint: process.env.CHECKPOINT_DISABLE }));\n`,
    );
    write(path.join(src, "dist", "__tests__", "x.test.js"), "");
    write(path.join(src, "dist", ".tsbuildinfo"), "{}");
    const library = path.join(src, "packages", "cdktf-libvirt");
    write(path.join(library, "package.json"), "{}\n");
    write(path.join(library, "lib", "index.js"), "");
    write(path.join(library, "lib", ".tsbuildinfo"), "{}");
    write(path.join(library, ".gen", "providers", "libvirt", "index.js"), "");
    write(path.join(library, ".gen", "providers", "libvirt", "index.d.ts"), "");
    write(path.join(library, ".gen", "providers", "libvirt", "index.ts"), "");
    fs.mkdirSync(path.join(src, "node_modules"), { recursive: true });
    fs.symlinkSync("../packages/cdktf-libvirt", path.join(src, "node_modules", "cdktf-libvirt"));
    for (const f of ["package.json", "package-lock.json", "cdktf.json", "schemas/spec.schema.json", "README.md"]) write(path.join(src, f), "{}\n");

    out = path.join(dir, "out");
    const r = run(bash(), [script("install.sh"), out, process.execPath, bash(), script("deploy-wrapper.sh")], { cwd: src });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    app = path.join(out, "lib", "node_modules", "cdktf-libvirt");
  });

  test("installs the app, the construct library it links to, node_modules and docs; drops compiled tests and TypeScript sources", () => {
    expect(fs.readdirSync(app).sort()).toEqual(["cdktf.json", "dist", "node_modules", "package-lock.json", "package.json", "packages", "schemas"]);
    expect(fs.readdirSync(path.join(app, "packages", "cdktf-libvirt")).sort()).toEqual([".gen", "lib", "package.json"]);
    expect(fs.existsSync(path.join(app, "node_modules", "cdktf-libvirt", "lib", "index.js"))).toBe(true);
    expect(fs.readdirSync(path.join(app, "packages", "cdktf-libvirt", ".gen", "providers", "libvirt")).sort()).toEqual(["index.d.ts", "index.js"]);
    expect(fs.existsSync(path.join(app, "packages", "cdktf-libvirt", "lib", ".tsbuildinfo"))).toBe(false);
    expect(fs.existsSync(path.join(app, "dist", "__tests__"))).toBe(false);
    expect(fs.existsSync(path.join(app, "dist", ".tsbuildinfo"))).toBe(false);
    expect(fs.readdirSync(path.join(out, "share", "doc", "cdktf-libvirt")).sort()).toEqual(["README.md"]);
  });

  test("the wrapper has no placeholders left and is executable", () => {
    const wrapper = path.join(out, "bin", "cdktf-libvirt-deploy");
    const text = fs.readFileSync(wrapper, "utf8");
    expect(text).not.toMatch(/@(shell|node|app)@/);
    expect(text.startsWith(`#!${bash()}\n`)).toBe(true);
    expect(fs.statSync(wrapper).mode & 0o111).toBe(0o111);
  });

  function runWrapper(args: string[]) {
    const r = run(path.join(out, "bin", "cdktf-libvirt-deploy"), args, { env: { PATH: "/usr/bin:/bin" } });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    return JSON.parse(r.stdout) as { argv: string[]; path: string; checkpoint: string };
  }

  test("by default it synthesizes the installed app (its cdktf.json's app), with node on PATH", () => {
    const seen = runWrapper(["--stack", "testvm"]);
    expect(seen.argv).toEqual(["--app-dir", app, "--stack", "testvm"]);
    expect(seen.path.split(":")[0]).toBe(path.dirname(process.execPath));
    expect(seen.checkpoint).toBe("1");
    const parsed = parseDeployArgs(seen.argv, {}, "/");
    expect(!parsed.help && parsed.options).toMatchObject({ appDir: app, synthCommand: "cdktf.json", stack: "testvm" });
  });

  test("the caller's --app-dir, --no-synth and --synth-command win", () => {
    const other = parseDeployArgs(runWrapper(["--app-dir", "/srv/infra"]).argv, {}, "/");
    expect(!other.help && other.options.appDir).toBe("/srv/infra");
    const noSynth = runWrapper(["--no-synth", "--synth-dir", "/tmp/x"]);
    expect(noSynth.argv).toEqual(["--app-dir", app, "--no-synth", "--synth-dir", "/tmp/x"]);
    expect(parseDeployArgs(noSynth.argv, {}, "/").help).toBe(false);
    const own = runWrapper(["--synth-command=node dist/main.js"]);
    expect(own.argv).toEqual(["--app-dir", app, "--synth-command=node dist/main.js"]);
  });
});

describe("plugin-dir.sh", () => {
  let provider: string;
  let out: string;

  beforeAll(() => {
    provider = path.join(dir, "provider");
    const binary = path.join(provider, "libexec", "terraform-providers", "registry.terraform.io", "dmacvicar", "libvirt", "0.9.7", "linux_amd64", "terraform-provider-libvirt_0.9.7");
    write(binary, `#!${bash()}\necho "PATH=$PATH ARGS=$*"\n`, 0o755);
    out = path.join(dir, "plugins");
    const r = run(bash(), [script("plugin-dir.sh"), out, bash(), "/opt/cdrtools/bin", provider]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
  });

  test("offers the provider under registry.terraform.io (cdktf's source) and registry.opentofu.org", () => {
    for (const host of ["registry.terraform.io", "registry.opentofu.org"]) {
      const entry = path.join(out, host, "dmacvicar", "libvirt", "0.9.7", "linux_amd64", "terraform-provider-libvirt_0.9.7");
      expect(fs.statSync(entry).mode & 0o111).toBe(0o111);
      const r = run(entry, ["a", "b c"], { env: { PATH: "/usr/bin" } });
      expect(r.stdout.trim()).toBe("PATH=/opt/cdrtools/bin:/usr/bin ARGS=a b c");
    }
  });

  test("refuses a package that is not a Nix terraform provider", () => {
    const r = run(bash(), [script("plugin-dir.sh"), path.join(dir, "plugins2"), bash(), "", dir + "/nothing"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/has no libexec\/terraform-providers/);
  });
});

describe("default-pool.sh", () => {
  // a fake virsh: pools are files in $FAKE_VIRSH_STATE/<name>.{defined,active}; every call is logged
  const fakeVirsh = `#!/usr/bin/env bash
set -eu
state=$FAKE_VIRSH_STATE
echo "$*" >>"$state/log"
shift 3 # --connect URI --quiet
cmd=$1; shift
case $cmd in
  pool-info) [ -e "$state/$1.defined" ] ;;
  pool-define-as) touch "$state/$1.defined" ;;
  pool-build) ;;
  pool-list) for f in "$state"/*.active; do [ -e "$f" ] && basename "$f" .active; done; true ;;
  pool-start) touch "$state/$1.active" ;;
  pool-autostart) ;;
  *) echo "unexpected $cmd" >&2; exit 9 ;;
esac
`;

  function runPool(prepare: (state: string) => void): string[] {
    const state = fs.mkdtempSync(path.join(dir, "virsh-"));
    const bin = path.join(state, "bin");
    write(path.join(bin, "virsh"), fakeVirsh, 0o755);
    prepare(state);
    const r = run(bash(), [script("default-pool.sh"), "qemu:///system", "default", "/var/lib/libvirt/images"], {
      env: { PATH: `${bin}:/usr/bin:/bin`, FAKE_VIRSH_STATE: state },
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    return fs.readFileSync(path.join(state, "log"), "utf8").trim().split("\n").map((l) => l.replace("--connect qemu:///system --quiet ", ""));
  }

  test("defines, builds, starts and autostarts a missing pool", () => {
    expect(runPool(() => undefined)).toEqual([
      "pool-info default",
      "pool-define-as default dir --target /var/lib/libvirt/images",
      "pool-build default",
      "pool-list --name",
      "pool-start default",
      "pool-autostart default",
    ]);
  });

  test("leaves a running pool as it is (only autostart)", () => {
    const calls = runPool((state) => {
      fs.writeFileSync(path.join(state, "default.defined"), "");
      fs.writeFileSync(path.join(state, "default.active"), "");
    });
    expect(calls).toEqual(["pool-info default", "pool-list --name", "pool-autostart default"]);
  });
});

// nix/module.nix evaluated with the real nixpkgs lib (lib.evalModules), where a developer has one:
// CDKTF_LIBVIRT_NIXPKGS_LIB=<a checkout of nix-community/nixpkgs.lib or nixpkgs> npm test. Stand-ins take
// the place of the NixOS options the module sets and of the packages it names (fixtures/eval-module.nix);
// nothing is built. Without the variable these tests are skipped; the rest of __tests__/nix runs anyway.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDeployArgs } from "../../deploy/args";
import { nixEval, nixFile, ROOT } from "./helpers";

const LIB = process.env.CDKTF_LIBVIRT_NIXPKGS_LIB;

interface Evaluated {
  failedAssertions: string[];
  warnings: string[];
  spec: any;
  execStart: string | null;
  environment: Record<string, string> | null;
  tmpfiles: string[];
  serviceConfig: Record<string, unknown> | null;
  drift: { serviceConfig: Record<string, unknown> } | null;
  driftTimer: { timerConfig: Record<string, unknown> } | null;
  planScript: string[];
  network: { useNetworkd: boolean; bridges: any; interfaces: any; defaultGateway: string | null; nameservers: string[]; systemd: any };
  uefi: { loader: string | null; nvramTemplate: string | null };
  qemu: { swtpm: boolean; vhostUserPackages: string[] };
  boot: { kernelParams: string[]; initrdModules: string[] };
  options: { name: string; type: string }[];
}

/** `platform.nixos`: a NixOS module of other settings, as a Nix expression. */
function evaluate(cfg: string, providerVersion = "0.9.7", platform: { aarch64?: boolean; release?: string; nixos?: string } = {}): Evaluated {
  const lib = `import ${nixFile(path.relative(ROOT, path.join(LIB!, "lib")))}`;
  const release = platform.release === undefined ? "null" : JSON.stringify(platform.release);
  return nixEval<Evaluated>(
    `import ${nixFile("__tests__/nix/fixtures/eval-module.nix")} { nixpkgsLib = ${lib}; cfg = ${cfg}; providerVersion = ${JSON.stringify(providerVersion)}; aarch64 = ${platform.aarch64 ?? false}; release = ${release}; nixos = ${platform.nixos ?? "{ }"}; }`,
  );
}

const testvm = `import ${nixFile("nix/examples/testvm.nix")}`;
const lab = `import ${nixFile("nix/examples/lab.nix")}`;

(LIB ? describe : describe.skip)("nix/module.nix with the real nixpkgs lib", () => {
  test("the testvm example: no failed assertion, the spec of app/default.spec.json, an ExecStart deploy reads", () => {
    const r = evaluate(testvm);
    expect(r.failedAssertions).toEqual([]);
    expect(r.warnings).toEqual([]);
    const { $schema, ...expected } = JSON.parse(fs.readFileSync(path.join(ROOT, "app/default.spec.json"), "utf8"));
    expect($schema).toBeDefined();
    expect(r.spec).toEqual(expected);
    const argv = (r.execStart!.match(/"(?:[^"\\]|\\.)*"/g) ?? []).map((w) => JSON.parse(w) as string);
    const parsed = parseDeployArgs(argv.slice(1), {}, "/");
    expect(parsed.help).toBe(false);
    expect(r.environment).toMatchObject({ CDKTF_LIBVIRT_SPEC: expect.stringMatching(/-cdktf-libvirt-testvm\.spec\.json$/) });
  });

  test.each([
    ["0.9.7", true],
    ["0.9.9", true],
    ["0.9.6", false],
    ["0.10.0", false],
  ])("nixpkgs' provider %s: the assertion holds only in the stacks' range", (version, ok) => {
    const failed = evaluate(testvm, version).failedAssertions.filter((m) => m.startsWith("services.cdktf-libvirt.providerPackage:"));
    expect(failed.length === 0).toBe(ok);
    if (!ok) expect(failed[0]).toContain(`the libvirt provider is version ${version}, but the stacks need dmacvicar/libvirt >= 0.9.7, < 0.10.0`);
  });

  test("the lab example: the options' own defaults (null, [ ], { }) never reach the spec", () => {
    // the host part enables libvirtd, which a local URI needs
    const r = evaluate(`${lab} // { host.enable = true; }`);
    expect(r.failedAssertions).toEqual([]);
    expect(r.spec).toEqual(nixEval(`import ${nixFile("nix/spec.nix")} (${lab})`));
  });

  test("the options are the generated ones, typed as the spec says", () => {
    const types = Object.fromEntries(evaluate(testvm).options.map((o) => [o.name, o.type]));
    expect(types["services.cdktf-libvirt.vms.<name>.vcpus"]).toBe("null or (positive integer, meaning >0)");
    expect(types["services.cdktf-libvirt.vms.<name>.memory"]).toMatch(/^null or string matching the pattern /);
    expect(types["services.cdktf-libvirt.networks.<name>.type"]).toBe('one of "host-bridge", "bridge", "nat"');
    expect(types["services.cdktf-libvirt.images.<name>.source"]).toBe("string or absolute path");
  });

  test("a field a network type does not take, and a field it needs, are reported by option path", () => {
    const r = evaluate(`${testvm} // { networks.br0 = { type = "nat"; dhcpRange = { start = "10.0.0.2"; end = "10.0.0.9"; }; bridge = "virbr9"; subnets = [ "10.0.0.0/24" ]; }; }`);
    expect(r.failedAssertions).toEqual([
      'services.cdktf-libvirt.networks.br0: subnets cannot be set on a network of type "nat" (it takes subnet, dhcpRange, domain, bridge, name, importUuid).',
      'services.cdktf-libvirt.networks.br0.subnet: a "nat" network needs it.',
    ]);
  });

  test("an app of the user's own alone: the unit synthesizes it in its own directory", () => {
    const app = "/nix/store/44444444444444444444444444444444-infra";
    const r = evaluate(`{ enable = true; stack = "web"; host.enable = true; app = { type = "derivation"; outPath = "${app}"; }; }`);
    expect(r.failedAssertions).toEqual([]);
    expect(r.execStart).toMatch(new RegExp(`"--app-dir" "${app}"$`));
    expect(r.environment!.CDKTF_LIBVIRT_SPEC).toBeUndefined();
  });

  test("an app of the user's own and attribute sets at once are refused", () => {
    const r = evaluate(`${testvm} // { app = { type = "derivation"; outPath = "/nix/store/44444444444444444444444444444444-infra"; }; }`);
    expect(r.failedAssertions).toEqual(
      expect.arrayContaining(["services.cdktf-libvirt.app is set, so the stack is the app's; leave services.cdktf-libvirt.images, services.cdktf-libvirt.networks, services.cdktf-libvirt.vms empty."]),
    );
  });

  test("the host part enables swtpm for a VM with a TPM and adds virtiofsd for a virtiofs share, and nothing for 9p", () => {
    const vm = (extra: string) => `${testvm} // { host.enable = true; vms.testvm = (${testvm}).vms.testvm // { ${extra} }; }`;
    expect(evaluate(vm("")).qemu).toEqual({ swtpm: false, vhostUserPackages: [] });
    const tpm = evaluate(vm("tpm = true;"));
    expect(tpm.failedAssertions).toEqual([]);
    expect(tpm.qemu).toEqual({ swtpm: true, vhostUserPackages: [] });
    expect(tpm.spec.stacks.testvm.hosts.local.vms.testvm.tpm).toBe(true);
    const virtiofs = evaluate(vm(`shares = [ { hostPath = "/srv/work"; tag = "work"; mountPoint = "/mnt/work"; } ];`));
    expect(virtiofs.qemu).toEqual({ swtpm: false, vhostUserPackages: ["virtiofsd"] });
    expect(virtiofs.spec.stacks.testvm.hosts.local.vms.testvm.shares).toEqual([{ hostPath: "/srv/work", tag: "work", mountPoint: "/mnt/work" }]);
    expect(evaluate(vm(`shares = [ { hostPath = "/srv/docs"; tag = "docs"; driver = "9p"; readOnly = true; } ];`)).qemu).toEqual({ swtpm: false, vhostUserPackages: [] });
  });

  test("host.vfio turns the IOMMU on and hands pciIds to vfio-pci; a PCI device without it warns", () => {
    const gpu = `${testvm} // { vms.testvm = (${testvm}).vms.testvm // { hostDevices = [ { pci = "0000:01:00.0"; } { usb = { vendor = "046d"; product = "c52b"; }; } ]; }; }`;
    const bare = evaluate(gpu);
    expect(bare.warnings).toEqual([
      "services.cdktf-libvirt: a VM passes a PCI device through, but services.cdktf-libvirt.host.vfio is not enabled: unless you turned the IOMMU on yourself, libvirt cannot start it.",
    ]);
    expect(bare.spec.stacks.testvm.hosts.local.vms.testvm.hostDevices).toEqual([{ pci: "0000:01:00.0" }, { usb: { vendor: "046d", product: "c52b" } }]);
    const intel = evaluate(`${gpu} // { host.enable = true; host.vfio = { enable = true; iommu = "intel"; pciIds = [ "10de:2484" "10de:228b" ]; }; }`);
    expect(intel.warnings).toEqual([]);
    expect(intel.boot).toEqual({ kernelParams: ["iommu=pt", "intel_iommu=on", "vfio-pci.ids=10de:2484,10de:228b"], initrdModules: ["vfio_pci", "vfio", "vfio_iommu_type1"] });
    expect(evaluate(`${testvm} // { host.enable = true; host.vfio = { enable = true; iommu = "amd"; }; }`).boot.kernelParams).toEqual(["iommu=pt"]);
  });

  test("a pg backend: in the spec without a secret, its connection string a credential terraform reads as PG_CONN_STR", () => {
    const r = evaluate(`${testvm} // { backend = { type = "pg"; schemaName = "hv1"; }; backendCredentials.connectionStringFile = "/run/secrets/pg"; }`);
    expect(r.failedAssertions).toEqual([]);
    expect(r.spec.stacks.testvm.backend).toEqual({ type: "pg", schemaName: "hv1" });
    expect(r.serviceConfig!.LoadCredential).toEqual(["backend_PG_CONN_STR:/run/secrets/pg"]);
    expect(r.execStart).toContain('"--secret" "PG_CONN_STR=backend_PG_CONN_STR"');
    const argv = (r.execStart!.match(/"(?:[^"\\]|\\.)*"/g) ?? []).map((w) => JSON.parse(w) as string);
    const parsed = parseDeployArgs(argv.slice(1), {}, "/");
    expect(parsed.help === false && parsed.options.secrets).toEqual(["PG_CONN_STR=backend_PG_CONN_STR"]);
  });

  test.each([
    [`backend.type = "pg";`, 'services.cdktf-libvirt.backend.type is "pg", but services.cdktf-libvirt.backendCredentials.connectionStringFile is null: name the file holding the connection string (PG_CONN_STR).'],
    [`backend = { type = "pg"; bucket = "b"; }; backendCredentials.connectionStringFile = "/run/secrets/pg";`, 'services.cdktf-libvirt.backend: bucket cannot be set on a backend of type "pg" (it takes schemaName).'],
    [`backend = { type = "s3"; bucket = "b"; };`, 'services.cdktf-libvirt.backend.key: a "s3" backend needs it.'],
    [`backendCredentials.connectionStringFile = "/run/secrets/pg";`, 'services.cdktf-libvirt.backendCredentials: connectionStringFile set, but the backend is of type "local", which does not read it.'],
    [`backend.type = "pg"; backendCredentials.connectionStringFile = "/nix/store/x-pg";`, 'services.cdktf-libvirt.backendCredentials.connectionStringFile: give the path of a file outside the Nix store as a string (e.g. "/run/secrets/connectionStringFile"); the unit loads it as a credential.'],
  ])("backend mistakes fail the build: %s", (extra, message) => {
    expect(evaluate(`${testvm} // { ${extra} }`).failedAssertions).toContain(message);
  });

  describe("UEFI firmware from the host part", () => {
    const STORE = "/nix/store/00000000000000000000000000000000";

    test("NixOS 25.11 on (this lib's release): QEMU's edk2 files, linked and passed to the stack", () => {
      const r = evaluate(`${lab} // { host.enable = true; }`);
      expect(r.failedAssertions).toEqual([]);
      expect(r.uefi).toEqual({ loader: "/run/libvirt/nix-ovmf/edk2-x86_64-code.fd", nvramTemplate: "/run/libvirt/nix-ovmf/edk2-i386-vars.fd", secureLoader: "/run/libvirt/nix-ovmf/cdktf-libvirt-secure-code.fd", secureNvramTemplate: "/run/libvirt/nix-ovmf/cdktf-libvirt-secure-vars.fd" });
      expect(r.tmpfiles).toEqual(
        expect.arrayContaining([
          `L+ /run/libvirt/nix-ovmf/edk2-x86_64-code.fd - - - - ${STORE}-qemu/share/qemu/edk2-x86_64-code.fd`,
          `L+ /run/libvirt/nix-ovmf/edk2-i386-vars.fd - - - - ${STORE}-qemu/share/qemu/edk2-i386-vars.fd`,
        ]),
      );
      expect(r.environment).toMatchObject({
        TF_VAR_libvirt_uefi_loader: "/run/libvirt/nix-ovmf/edk2-x86_64-code.fd",
        TF_VAR_libvirt_uefi_nvram_template: "/run/libvirt/nix-ovmf/edk2-i386-vars.fd",
      });
    });

    test("secure boot: OVMFFull's SMM code and its variable store with Microsoft's keys, linked and passed; a secure-boot VM needs them", () => {
      const secure = `${testvm} // { vms.testvm = (${testvm}).vms.testvm // { firmware.uefi.secureBoot = true; }; }`;
      const r = evaluate(`${secure} // { host.enable = true; }`);
      expect(r.failedAssertions).toEqual([]);
      expect(r.tmpfiles).toEqual(
        expect.arrayContaining([
          `L+ /run/libvirt/nix-ovmf/cdktf-libvirt-secure-code.fd - - - - ${STORE}-OVMFFull-fd/FV/OVMF_CODE.fd`,
          `L+ /run/libvirt/nix-ovmf/cdktf-libvirt-secure-vars.fd - - - - ${STORE}-OVMFFull-fd/FV/OVMF_VARS.ms.fd`,
        ]),
      );
      expect(r.environment).toMatchObject({
        TF_VAR_libvirt_uefi_secure_loader: "/run/libvirt/nix-ovmf/cdktf-libvirt-secure-code.fd",
        TF_VAR_libvirt_uefi_secure_nvram_template: "/run/libvirt/nix-ovmf/cdktf-libvirt-secure-vars.fd",
      });
      expect(r.spec.stacks.testvm.hosts.local.vms.testvm.firmware).toEqual({ uefi: { secureBoot: true } });
      // without the host part only the secure-boot files are missing: this VM needs no plain UEFI files
      expect(evaluate(`${secure} // { host = { enable = true; ovmf.enable = false; }; uefi = { loader = "/l.fd"; nvramTemplate = "/v.fd"; }; }`).failedAssertions).toEqual([
        'services.cdktf-libvirt.vms.testvm.firmware: UEFI takes its secureLoader from the host, but services.cdktf-libvirt.uefi.secureLoader is null; enable services.cdktf-libvirt.host (its host.ovmf part provides the firmware) or name the host\'s file there (e.g. "/run/libvirt/nix-ovmf/cdktf-libvirt-secure-code.fd").',
        'services.cdktf-libvirt.vms.testvm.firmware: UEFI takes its secureNvramTemplate from the host, but services.cdktf-libvirt.uefi.secureNvramTemplate is null; enable services.cdktf-libvirt.host (its host.ovmf part provides the firmware) or name the host\'s file there (e.g. "/run/libvirt/nix-ovmf/cdktf-libvirt-secure-vars.fd").',
      ]);
    });

    test("up to 25.05: OVMF's build under OVMF_CODE.fd and OVMF_VARS.fd", () => {
      const r = evaluate(`${lab} // { host.enable = true; }`, "0.9.7", { release: "25.05" });
      expect(evaluate(`${lab} // { host = { enable = true; ovmf.layout = "ovmf"; }; }`).uefi).toEqual(r.uefi);
      expect(r.uefi).toEqual({ loader: "/run/libvirt/nix-ovmf/OVMF_CODE.fd", nvramTemplate: "/run/libvirt/nix-ovmf/OVMF_VARS.fd", secureLoader: "/run/libvirt/nix-ovmf/cdktf-libvirt-secure-code.fd", secureNvramTemplate: "/run/libvirt/nix-ovmf/cdktf-libvirt-secure-vars.fd" });
      expect(r.tmpfiles).toEqual(expect.arrayContaining([`L+ /run/libvirt/nix-ovmf/OVMF_CODE.fd - - - - ${STORE}-OVMF-fd/FV/OVMF_CODE.fd`]));
    });

    test("aarch64: the aarch64 firmware and the arm variable store", () => {
      const r = evaluate(`${lab} // { host.enable = true; }`, "0.9.7", { aarch64: true });
      expect(r.uefi).toEqual({ loader: "/run/libvirt/nix-ovmf/edk2-aarch64-code.fd", nvramTemplate: "/run/libvirt/nix-ovmf/edk2-arm-vars.fd", secureLoader: null, secureNvramTemplate: null });
    });
  });

  describe("the host's architecture", () => {
    test("on aarch64 VMs and groups without an arch are aarch64, and need the host's UEFI files", () => {
      const withoutFirmware = `${testvm} // { host = (${testvm}).host // { ovmf.enable = false; }; }`;
      const r = evaluate(withoutFirmware, "0.9.7", { aarch64: true });
      expect(r.spec.stacks.testvm.hosts.local.vms.testvm.arch).toBe("aarch64");
      expect(r.failedAssertions.filter((m) => m.includes("UEFI"))).toEqual([
        expect.stringMatching(/^services\.cdktf-libvirt\.vms\.testvm\.firmware: UEFI takes its loader from the host/),
        expect.stringMatching(/^services\.cdktf-libvirt\.vms\.testvm\.firmware: UEFI takes its nvramTemplate from the host/),
      ]);
      expect(evaluate(testvm, "0.9.7", { aarch64: true }).failedAssertions).toEqual([]);
    });

    test("a VM's own arch wins; on x86_64 the spec names none (the library's default)", () => {
      const own = evaluate(`${testvm} // { vms.testvm = (${testvm}).vms.testvm // { arch = "x86_64"; }; }`, "0.9.7", { aarch64: true });
      expect(own.spec.stacks.testvm.hosts.local.vms.testvm.arch).toBe("x86_64");
      expect(own.failedAssertions).toEqual([]);
      expect(evaluate(testvm).spec.stacks.testvm.hosts.local.vms.testvm.arch).toBeUndefined();
    });

    test("without the host part a UEFI VM fails the build until the host's paths are named", () => {
      const without = evaluate(lab);
      expect(without.uefi).toEqual({ loader: null, nvramTemplate: null, secureLoader: null, secureNvramTemplate: null });
      expect(without.failedAssertions.filter((m) => m.includes("UEFI"))).toEqual([
        expect.stringMatching(/^services\.cdktf-libvirt\.vms\.web\.firmware: UEFI takes its loader from the host, but services\.cdktf-libvirt\.uefi\.loader is null/),
        expect.stringMatching(/^services\.cdktf-libvirt\.vms\.web\.firmware: UEFI takes its nvramTemplate from the host/),
      ]);
      const named = evaluate(`${lab} // { uefi = { loader = "/usr/share/OVMF/OVMF_CODE_4M.fd"; nvramTemplate = "/usr/share/OVMF/OVMF_VARS_4M.fd"; }; }`);
      expect(named.failedAssertions.filter((m) => m.includes("UEFI"))).toEqual([]);
      expect(named.environment).toMatchObject({ TF_VAR_libvirt_uefi_loader: "/usr/share/OVMF/OVMF_CODE_4M.fd" });
    });
  });

  describe("the unit, the plan command and the drift check", () => {
    test("a start timeout; a refused plan (exit 3) leaves the unit active, not failed", () => {
      const r = evaluate(testvm);
      expect(r.serviceConfig).toMatchObject({ TimeoutStartSec: "30min", SuccessExitStatus: [3], Type: "oneshot", RemainAfterExit: true });
      expect(evaluate(`${testvm} // { startTimeout = "2h"; }`).serviceConfig).toMatchObject({ TimeoutStartSec: "2h" });
    });

    test("cdktf-libvirt-plan runs deploy --plan-only in a transient unit with the apply unit's user, sandbox and environment", () => {
      const r = evaluate(`${lab} // { host.enable = true; }`);
      const [script] = r.planScript;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-script-"));
      const file = path.join(dir, "cdktf-libvirt-plan");
      fs.writeFileSync(file, `#!/usr/bin/env bash\n${script}`);
      try {
        expect(spawnSync("bash", ["-n", file]).status).toBe(0);
        const lint = spawnSync("shellcheck", [file], { encoding: "utf8" });
        expect(lint.stdout).toBe("");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      for (const property of ["User=cdktf-libvirt", "SupplementaryGroups=libvirtd", "LoadCredential=admin_password_hash:/run/secrets/lab-admin-hash", "ProtectSystem=strict", "NoNewPrivileges=yes", "SystemCallFilter=~@privileged", "TimeoutStartSec=30min"]) {
        expect(script).toContain(`'--property=${property}'`);
      }
      expect(script).toContain("'--setenv=TF_VAR_libvirt_uefi_loader=/run/libvirt/nix-ovmf/edk2-x86_64-code.fd'");
      // the words after `--`, as bash reads them
      const words = script.split(" -- ")[1].replace(/ "\$@"\s*$/, "");
      const argv = spawnSync("bash", ["-c", `printf '%s\\n' ${words}`], { encoding: "utf8" }).stdout.trimEnd().split("\n");
      expect(argv.slice(-1)).toEqual(["--plan-only"]);
      const parsed = parseDeployArgs(argv.slice(1), {}, "/");
      expect(parsed.help === false && parsed.options.planOnly).toBe(true);
    });

    test("the drift check: off by default; on, a plan-only unit on a timer", () => {
      expect(evaluate(testvm).drift).toBeNull();
      const r = evaluate(`${testvm} // { driftCheck = { enable = true; interval = "hourly"; }; }`);
      expect(r.drift!.serviceConfig).toMatchObject({ Type: "oneshot", User: "cdktf-libvirt", SyslogIdentifier: "cdktf-libvirt-drift" });
      expect(r.drift!.serviceConfig.ExecStart).toMatch(/ "--plan-only"$/);
      expect(r.driftTimer!.timerConfig).toMatchObject({ OnCalendar: "hourly", Persistent: true });
    });

    test("an SSH remote: the user, the identity as a credential, the known hosts, all in the URI", () => {
      const r = evaluate(
        `${testvm} // { host.enable = false; uri = "qemu+ssh://hv1.lan/system"; ssh = { user = "root"; identityFile = "/run/secrets/hv1-key"; knownHosts = [ "hv1.lan ssh-ed25519 AAAA" ]; }; }`,
      );
      expect(r.failedAssertions).toEqual([]);
      expect(r.spec.stacks.testvm.hosts.local.uri).toMatch(
        /^qemu\+ssh:\/\/root@hv1\.lan\/system\?keyfile=\$CREDENTIALS_DIRECTORY\/ssh-identity&knownhosts=\/nix\/store\/0{32}-cdktf-libvirt-known-hosts$/,
      );
      expect(r.serviceConfig!.LoadCredential).toEqual(["ssh-identity:/run/secrets/hv1-key"]);
      const bad = evaluate(`${testvm} // { ssh.identityFile = "/nix/store/abc-key"; uri = "qemu:///system"; }`);
      expect(bad.failedAssertions).toEqual([
        expect.stringMatching(/^services\.cdktf-libvirt\.ssh is set, but services\.cdktf-libvirt\.uri "qemu:\/\/\/system" is not a qemu\+ssh:\/\/ URI/),
        expect.stringMatching(/^services\.cdktf-libvirt\.ssh\.identityFile: give the path of a root-readable file outside the Nix store/),
      ]);
    });
  });

  describe("host.bridge", () => {
    const withBridge = (bridge: string, extra = "") => `${testvm} // { host = (${testvm}).host // { bridge = (${testvm}).host.bridge // ${bridge}; }; ${extra} }`;

    test("on NixOS's default stack: a scripted bridge, networkd left off", () => {
      const r = evaluate(withBridge(`{ interface = "enp1s0"; macAddress = "52:54:00:aa:bb:cc"; }`));
      expect(r.failedAssertions).toEqual([]);
      expect(r.warnings).toEqual([]);
      expect(r.network.useNetworkd).toBe(false);
      expect(r.network.systemd).toBeNull();
      expect(r.network.bridges).toEqual({ br0: { interfaces: ["enp1s0"] } });
      expect(r.network.interfaces).toEqual({
        br0: { useDHCP: true, ipv4: { addresses: [] }, ipv6: { addresses: [] }, macAddress: "52:54:00:aa:bb:cc" },
        enp1s0: { useDHCP: false },
      });
    });

    test("static addresses, gateway and DNS on the scripted bridge", () => {
      const r = evaluate(withBridge(`{ interface = "enp1s0"; addresses = [ "192.168.1.10/24" "fd00::10/64" ]; gateway = "192.168.1.1"; dns = [ "192.168.1.1" ]; }`));
      expect(r.failedAssertions).toEqual([]);
      expect(r.network.interfaces.br0).toMatchObject({ useDHCP: false, ipv4: { addresses: [{ address: "192.168.1.10", prefixLength: 24 }] }, ipv6: { addresses: [{ address: "fd00::10", prefixLength: 64 }] } });
      expect([r.network.defaultGateway, r.network.nameservers]).toEqual(["192.168.1.1", ["192.168.1.1"]]);
      expect(evaluate(withBridge(`{ interface = "enp1s0"; addresses = [ "192.168.1.10" ]; }`)).failedAssertions).toEqual([
        'services.cdktf-libvirt.host.bridge.addresses: "192.168.1.10" needs a prefix length, e.g. "192.168.1.10/24".',
      ]);
    });

    test("a host on networkd gets a networkd bridge", () => {
      const networkd = evaluate(withBridge(`{ interface = "enp1s0"; macAddress = "52:54:00:aa:bb:cc"; }`), "0.9.7", { nixos: "{ networking.useNetworkd = true; }" });
      expect(networkd.failedAssertions).toEqual([]);
      expect(networkd.network.bridges).toEqual({});
      expect(networkd.network.systemd.netdevs["20-br0"].netdevConfig).toEqual({ Kind: "bridge", Name: "br0", MACAddress: "52:54:00:aa:bb:cc" });
      expect(networkd.network.systemd.networks["30-br0-uplink"].networkConfig).toEqual({ Bridge: "br0" });
    });

    test("DHCP without the port's MAC is a warning that names the fix", () => {
      const r = evaluate(withBridge(`{ interface = "enp1s0"; macAddress = null; }`));
      expect(r.warnings).toEqual([expect.stringMatching(/^services\.cdktf-libvirt\.host\.bridge\.macAddress is unset: br0 takes its address by DHCP with a MAC that is not enp1s0's.*ip link show enp1s0/)]);
    });
  });
});

// nix/module.nix evaluated with the real nixpkgs lib (lib.evalModules), where a developer has one:
// CDKTF_LIBVIRT_NIXPKGS_LIB=<a checkout of nix-community/nixpkgs.lib or nixpkgs> npm test. Stand-ins take
// the place of the NixOS options the module sets and of the packages it names (fixtures/eval-module.nix);
// nothing is built. Without the variable these tests are skipped; the rest of __tests__/nix runs anyway.
import * as fs from "fs";
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
  uefi: { loader: string | null; nvramTemplate: string | null };
  options: { name: string; type: string }[];
}

function evaluate(cfg: string, providerVersion = "0.9.7", platform: { aarch64?: boolean; release?: string } = {}): Evaluated {
  const lib = `import ${nixFile(path.relative(ROOT, path.join(LIB!, "lib")))}`;
  const release = platform.release === undefined ? "null" : JSON.stringify(platform.release);
  return nixEval<Evaluated>(
    `import ${nixFile("__tests__/nix/fixtures/eval-module.nix")} { nixpkgsLib = ${lib}; cfg = ${cfg}; providerVersion = ${JSON.stringify(providerVersion)}; aarch64 = ${platform.aarch64 ?? false}; release = ${release}; }`,
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
      'services.cdktf-libvirt.networks.br0: subnets cannot be set on a network of type "nat" (it takes subnet, dhcpRange, domain, bridge, name).',
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

  describe("UEFI firmware from the host part", () => {
    const STORE = "/nix/store/00000000000000000000000000000000";

    test("NixOS 25.11 on (this lib's release): QEMU's edk2 files, linked and passed to the stack", () => {
      const r = evaluate(`${lab} // { host.enable = true; }`);
      expect(r.failedAssertions).toEqual([]);
      expect(r.uefi).toEqual({ loader: "/run/libvirt/nix-ovmf/edk2-x86_64-code.fd", nvramTemplate: "/run/libvirt/nix-ovmf/edk2-i386-vars.fd" });
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

    test("up to 25.05: OVMF's build under OVMF_CODE.fd and OVMF_VARS.fd", () => {
      const r = evaluate(`${lab} // { host.enable = true; }`, "0.9.7", { release: "25.05" });
      expect(evaluate(`${lab} // { host = { enable = true; ovmf.layout = "ovmf"; }; }`).uefi).toEqual(r.uefi);
      expect(r.uefi).toEqual({ loader: "/run/libvirt/nix-ovmf/OVMF_CODE.fd", nvramTemplate: "/run/libvirt/nix-ovmf/OVMF_VARS.fd" });
      expect(r.tmpfiles).toEqual(expect.arrayContaining([`L+ /run/libvirt/nix-ovmf/OVMF_CODE.fd - - - - ${STORE}-OVMF-fd/FV/OVMF_CODE.fd`]));
    });

    test("aarch64: the aarch64 firmware and the arm variable store", () => {
      const r = evaluate(`${lab} // { host.enable = true; }`, "0.9.7", { aarch64: true });
      expect(r.uefi).toEqual({ loader: "/run/libvirt/nix-ovmf/edk2-aarch64-code.fd", nvramTemplate: "/run/libvirt/nix-ovmf/edk2-arm-vars.fd" });
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
      expect(without.uefi).toEqual({ loader: null, nvramTemplate: null });
      expect(without.failedAssertions.filter((m) => m.includes("UEFI"))).toEqual([
        expect.stringMatching(/^services\.cdktf-libvirt\.vms\.web\.firmware: UEFI takes its loader from the host, but services\.cdktf-libvirt\.uefi\.loader is null/),
        expect.stringMatching(/^services\.cdktf-libvirt\.vms\.web\.firmware: UEFI takes its nvramTemplate from the host/),
      ]);
      const named = evaluate(`${lab} // { uefi = { loader = "/usr/share/OVMF/OVMF_CODE_4M.fd"; nvramTemplate = "/usr/share/OVMF/OVMF_VARS_4M.fd"; }; }`);
      expect(named.failedAssertions.filter((m) => m.includes("UEFI"))).toEqual([]);
      expect(named.environment).toMatchObject({ TF_VAR_libvirt_uefi_loader: "/usr/share/OVMF/OVMF_CODE_4M.fd" });
    });
  });
});

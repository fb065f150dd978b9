// The NixOS module's check of the provider package (nix/provider.nix) and `init` of the synthesized stack
// agree on which dmacvicar/libvirt releases work: the range comes from the construct library, through
// the generated nix/options.nix, into both. init runs for real, on a plugin directory holding a stand-in
// provider of each version (init installs it without running it).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { PROVIDER_RANGE } from "cdktf-libvirt";
import { buildStacks, loadSpec } from "../../stack-spec";
import { BINARY, cleanup, testEnv, tmpDir } from "../deploy/helpers";
import { nixEval, nixFile, ROOT } from "./helpers";

afterAll(cleanup);

const VERSIONS = ["0.8.3", "0.9.6", "0.9.7", "0.9.8", "0.9.9", "v0.9.12", "0.9.8-unstable-2026-06-01", "0.10.0", "1.0.0"];

const checks = nixEval<{ ok: boolean; message: string }[]>(
  `map (v: (import ${nixFile("nix/provider.nix")}).check { providerVersion = v; }) [ ${VERSIONS.map((v) => JSON.stringify(v)).join(" ")} ]`,
);

/** Whether `init` of the default stack takes a provider of `version` from a plugin directory. */
function initAccepts(version: string): boolean {
  const release = version.replace(/^v/, "").replace(/-.*$/, "");
  const dir = tmpDir("provider-range-");
  const stack = JSON.parse(Testing.synth(buildStacks(Testing.app(), loadSpec(path.join(ROOT, "app/default.spec.json")))[0]));
  fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: stack.terraform.required_providers } }));
  const host = path.basename(BINARY).startsWith("tofu") ? "registry.opentofu.org" : "registry.terraform.io";
  const plugin = path.join(dir, "plugins", host, "dmacvicar", "libvirt", release, "linux_amd64", `terraform-provider-libvirt_v${release}`);
  fs.mkdirSync(path.dirname(plugin), { recursive: true });
  fs.writeFileSync(plugin, "#!/bin/sh\nexit 1\n", { mode: 0o755 });
  const r = spawnSync(BINARY, ["init", "-input=false", "-no-color", `-plugin-dir=${path.join(dir, "plugins")}`], { cwd: dir, env: testEnv(), encoding: "utf8" });
  return r.status === 0;
}

describe("the provider range", () => {
  test.each(VERSIONS.map((v, i) => [v, i] as const))("%s: the module's check and init agree", (version, i) => {
    expect(checks[i].ok).toBe(initAccepts(version));
  });

  test("the range is the library's, and the message names the option, the range and the fix", () => {
    expect(VERSIONS.filter((_, i) => checks[i].ok)).toEqual(["0.9.7", "0.9.8", "0.9.9", "v0.9.12", "0.9.8-unstable-2026-06-01"]);
    expect(checks[1].message).toBe(
      `services.cdktf-libvirt.providerPackage: the libvirt provider is version 0.9.6, but the stacks need dmacvicar/libvirt >= ${PROVIDER_RANGE.minimum}, < ${PROVIDER_RANGE.below} ` +
        "(their required_providers: tofu init would find no matching release on every boot and switch). Set services.cdktf-libvirt.providerPackage to a release in that range, e.g. " +
        'pkgs.terraform-providers.mkProvider { owner = "dmacvicar"; repo = "terraform-provider-libvirt"; rev = "v0.9.7"; spdx = "Apache-2.0"; ' +
        'homepage = "https://registry.terraform.io/providers/dmacvicar/libvirt"; hash = ...; vendorHash = ...; } (README.md, section The libvirt provider), ' +
        "or set it to null and provide the provider through services.cdktf-libvirt.cliConfig.",
    );
    const unknown = nixEval<{ ok: boolean; message: string }>(`(import ${nixFile("nix/provider.nix")}).check { providerVersion = null; }`);
    expect(unknown.ok).toBe(false);
    expect(unknown.message).toMatch(/^services\.cdktf-libvirt\.providerPackage: cannot tell the version of the libvirt provider package/);
  });
});

// The real parts the acceptance suite runs against, found or built once into a cache outside the
// repository: OpenTofu (or terraform), the libvirt provider (given as a plugin directory, as nixpkgs or
// a mirror gives it), and a Debian guest image built from Debian packages.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "./run";

export const ROOT = path.resolve(__dirname, "../..");
export const PROVIDER_DIR_ENV = "CDKTF_LIBVIRT_PROVIDER_DIR";
/** Set by the runner for the scenarios: the binary, the guest image and the provider's version. */
export const PARTS_ENV = "CDKTF_LIBVIRT_ACCEPTANCE_PARTS";

export interface Parts {
  readonly binary: string;
  readonly providerDir: string;
  readonly providerVersions: string[];
  readonly guestImage: string;
}

export function cacheDir(): string {
  return process.env.CDKTF_LIBVIRT_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "cdktf-libvirt");
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** $CDKTF_LIBVIRT_TOFU (as deploy reads it), tofu on PATH, else OpenTofu built from its Go module at a pinned release. */
export function findBinary(): string {
  const given = process.env.CDKTF_LIBVIRT_TOFU;
  if (given) return given.includes("/") ? given : (onPath(given) ?? given);
  return onPath("tofu") ?? run(path.join(ROOT, "acceptance/tools/build-tofu.sh"), [], { timeoutMs: 30 * 60_000 }).trim();
}

/** The dmacvicar/libvirt versions in a plugin directory, for the registry host the binary resolves. */
export function providerVersions(dir: string, binary: string): string[] {
  const host = path.basename(binary).startsWith("terraform") ? "registry.terraform.io" : "registry.opentofu.org";
  const base = path.join(dir, host, "dmacvicar", "libvirt");
  if (!fs.existsSync(base)) return [];
  return fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, "linux_amd64", `terraform-provider-libvirt_v${v}`)));
}

export function buildGuestImage(): string {
  return run(path.join(ROOT, "acceptance/tools/build-guest-image.sh"), [], { timeoutMs: 30 * 60_000 }).trim();
}

export function resolveParts(providerDir: string): Parts {
  const binary = findBinary();
  const versions = providerVersions(providerDir, binary);
  if (versions.length === 0) {
    throw new Error(
      `${PROVIDER_DIR_ENV}=${providerDir} holds no dmacvicar/libvirt provider for ${path.basename(binary)} ` +
        `(expected <dir>/registry.${path.basename(binary).startsWith("terraform") ? "terraform" : "opentofu"}.org/dmacvicar/libvirt/<version>/linux_amd64/terraform-provider-libvirt_v<version>)`,
    );
  }
  return { binary, providerDir, providerVersions: versions, guestImage: buildGuestImage() };
}

/** The parts the runner resolved, for the scenarios. */
export function currentParts(): Parts {
  const text = process.env[PARTS_ENV];
  if (!text) throw new Error(`${PARTS_ENV} is not set: run the scenarios through npm run test:acceptance`);
  return JSON.parse(text) as Parts;
}

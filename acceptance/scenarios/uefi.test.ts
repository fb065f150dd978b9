// UEFI the NixOS way: `firmware: "uefi"` takes the loader and NVRAM template from the host at apply time,
// through the environment the NixOS unit gets (nix/unit.nix, evaluated by the real Nix with the paths
// nix/uefi.nix gives the module's host part), in both name layouts NixOS has used under
// /run/libvirt/nix-ovmf: OVMF_CODE.fd/OVMF_VARS.fd, and since 25.11 QEMU's edk2-x86_64-code.fd and
// edk2-i386-vars.fd. Here they link to Debian's OVMF build. Each guest boots UEFI and keeps its NVRAM
// across an update; a missing file stops deploy before it plans.
import * as fs from "node:fs";
import * as path from "node:path";
import { Deployment, expectExit, LAB_VM, labSpec } from "../harness/deploy";
import { guestShell, waitForAgent } from "../harness/guest";
import { currentLab } from "../harness/lab";
import { repoFile, unitNix } from "../harness/nix";
import { domainXml, domInfo } from "../harness/virsh";

const DEBIAN = { loader: "/usr/share/OVMF/OVMF_CODE_4M.fd", nvramTemplate: "/usr/share/OVMF/OVMF_VARS_4M.fd" };
const LAYOUTS = ["ovmf", "edk2"] as const;
type Layout = (typeof LAYOUTS)[number];
// an EFI variable of our own vendor GUID (attributes: non-volatile, boot service and runtime access),
// kept in the VM's NVRAM file; efivarfs wants it in one write, hence dd
const VARIABLE = "/sys/firmware/efi/efivars/CdktfLibvirtMarker-5d4c1f3e-6b0a-4c7e-9a51-2f8e0b7d3c61";

interface HostFirmware {
  readonly loader: string;
  readonly nvramTemplate: string;
  /** The TF_VAR_* variables of the unit's environment. */
  readonly environment: Record<string, string>;
}

/** What the module's host part gives a unit in this layout: its firmware paths and the unit's environment. */
function hostFirmware(layout: Layout): HostFirmware {
  const firmware = `import ${repoFile("nix/uefi.nix")} { layout = "${layout}"; }`;
  return unitNix<HostFirmware>(
    `uefi = { inherit (${firmware}) loader nvramTemplate; };`,
    `{
      inherit (${firmware}) loader nvramTemplate;
      environment = builtins.removeAttrs unit.environment (builtins.filter (n: builtins.substring 0 7 n != "TF_VAR_") (builtins.attrNames unit.environment));
    }`,
  );
}

const lab = currentLab();
const hosts = Object.fromEntries(LAYOUTS.map((layout) => [layout, hostFirmware(layout)])) as Record<Layout, HostFirmware>;
const deployments = Object.fromEntries(LAYOUTS.map((layout) => [layout, new Deployment(lab, `uefi-${layout}`)])) as Record<Layout, Deployment>;
const spec = (layout: Layout, memory: string) =>
  labSpec(`uefi-${layout}`, { vms: { [`uefi-${layout}`]: { ...LAB_VM, memory, interfaces: [{ network: "br0" }], firmware: "uefi" } } });
const deploy = (layout: Layout, memory: string, args: string[] = []) =>
  deployments[layout].deploy(spec(layout, memory), ["--wait-for-addresses", "5m", ...args], hosts[layout].environment);

const linked: string[] = [];
beforeAll(() => {
  for (const host of Object.values(hosts)) {
    for (const field of ["loader", "nvramTemplate"] as const) {
      fs.mkdirSync(path.dirname(host[field]), { recursive: true });
      // a link a killed run of this scenario left is replaced; anything else there is the host's own
      const existing = fs.lstatSync(host[field], { throwIfNoEntry: false });
      if (existing?.isSymbolicLink() && fs.readlinkSync(host[field]) === DEBIAN[field]) fs.unlinkSync(host[field]);
      else if (existing) throw new Error(`${host[field]} exists and is not a link to ${DEBIAN[field]}: the scenario leaves it alone`);
      fs.symlinkSync(DEBIAN[field], host[field]);
      linked.push(host[field]);
    }
  }
});
afterAll(() => {
  for (const link of linked) fs.rmSync(link, { force: true });
  fs.rmSync(path.dirname(hosts.edk2.loader), { recursive: true, force: true });
});

describe("UEFI with the host's firmware, in both NixOS layouts", () => {
  test("the unit's environment names the layout's files", () => {
    expect(hosts.ovmf.environment).toEqual({
      TF_VAR_libvirt_uefi_loader: "/run/libvirt/nix-ovmf/OVMF_CODE.fd",
      TF_VAR_libvirt_uefi_nvram_template: "/run/libvirt/nix-ovmf/OVMF_VARS.fd",
    });
    expect(hosts.edk2.environment).toEqual({
      TF_VAR_libvirt_uefi_loader: "/run/libvirt/nix-ovmf/edk2-x86_64-code.fd",
      TF_VAR_libvirt_uefi_nvram_template: "/run/libvirt/nix-ovmf/edk2-i386-vars.fd",
    });
  });

  test("a firmware file missing on the host stops deploy before it plans, naming the variable and the file", async () => {
    const missing = { ...hosts.edk2.environment, TF_VAR_libvirt_uefi_nvram_template: "/run/libvirt/nix-ovmf/no-such-vars.fd" };
    const run = await deployments.edk2.deploy(spec("edk2", "1024 MiB"), [], missing);
    expectExit(run, 2);
    expect(run.stderr).toContain("var.libvirt_uefi_nvram_template: /run/libvirt/nix-ovmf/no-such-vars.fd does not exist on this host");
    const unset = await deployments.edk2.deploy(spec("edk2", "1024 MiB"), [], { TF_VAR_libvirt_uefi_loader: hosts.edk2.loader });
    expectExit(unset, 2);
    expect(unset.stderr).toContain("var.libvirt_uefi_nvram_template: has no value: set TF_VAR_libvirt_uefi_nvram_template");
    expect(fs.existsSync(deployments.edk2.stateFile)).toBe(false);
  });

  test("both boot UEFI from the host's files; an EFI variable is written to each VM's NVRAM", async () => {
    const runs = await Promise.all(LAYOUTS.map((layout) => deploy(layout, "1024 MiB")));
    runs.forEach((run) => expectExit(run, 0));
    for (const layout of LAYOUTS) {
      const name = `uefi-${layout}`;
      expect(domainXml(name)).toContain(`>${hosts[layout].loader}</loader>`);
      await waitForAgent(name);
      expect((await guestShell(name, "test -d /sys/firmware/efi && echo uefi")).trim()).toBe("uefi");
      await guestShell(name, `printf '\\007\\000\\000\\000${name}' > /tmp/var && dd if=/tmp/var of=${VARIABLE} bs=4096 2>/dev/null`);
    }
  });

  test("an update restarts them with their NVRAM kept; the next deploy changes nothing", async () => {
    const runs = await Promise.all(LAYOUTS.map((layout) => deploy(layout, "1280 MiB")));
    runs.forEach((run) => expectExit(run, 0));
    for (const layout of LAYOUTS) {
      const name = `uefi-${layout}`;
      expect(domInfo(name).get("Max memory")).toBe(`${1280 * 1024} KiB`);
      await waitForAgent(name);
      // the first four bytes are the attributes
      expect((await guestShell(name, `dd if=${VARIABLE} bs=4096 2>/dev/null | tail -c +5`)).trim()).toBe(name);
    }
    for (const layout of LAYOUTS) {
      const again = await deployments[layout].deploy(spec(layout, "1280 MiB"), [], hosts[layout].environment);
      expectExit(again, 0);
      expect(again.stderr).toContain("no changes");
    }
  });
});

// UEFI the NixOS way: explicit loader and NVRAM template paths under /run/libvirt/nix-ovmf (here links to
// Debian's OVMF build), in both name layouts NixOS has used: OVMF_CODE.fd/OVMF_VARS.fd, and since 25.11
// QEMU's edk2-x86_64-code.fd/edk2-i386-vars.fd. The guest boots UEFI and keeps its NVRAM across an update.
import * as fs from "node:fs";
import { Deployment, expectExit, LAB_VM, labSpec } from "../harness/deploy";
import { guestShell, waitForAgent } from "../harness/guest";
import { currentLab } from "../harness/lab";
import { domInfo } from "../harness/virsh";

const NIX_OVMF = "/run/libvirt/nix-ovmf";
const DEBIAN = { code: "/usr/share/OVMF/OVMF_CODE_4M.fd", vars: "/usr/share/OVMF/OVMF_VARS_4M.fd" };
const LAYOUTS = {
  legacy: { loader: `${NIX_OVMF}/OVMF_CODE.fd`, nvramTemplate: `${NIX_OVMF}/OVMF_VARS.fd` },
  "nixos-25-11": { loader: `${NIX_OVMF}/edk2-x86_64-code.fd`, nvramTemplate: `${NIX_OVMF}/edk2-i386-vars.fd` },
};
// an EFI variable of our own vendor GUID (attributes: non-volatile, boot service and runtime access),
// kept in the VM's NVRAM file; efivarfs wants it in one write, hence dd
const VARIABLE = "/sys/firmware/efi/efivars/CdktfLibvirtMarker-5d4c1f3e-6b0a-4c7e-9a51-2f8e0b7d3c61";

const lab = currentLab();
const uefi = new Deployment(lab, "uefi");
const spec = (memory: string) =>
  labSpec("uefi", {
    vms: Object.fromEntries(
      Object.entries(LAYOUTS).map(([name, paths]) => [
        `uefi-${name}`,
        { ...LAB_VM, memory, interfaces: [{ network: "br0" }], firmware: { uefi: paths } },
      ]),
    ),
  });

beforeAll(() => {
  fs.mkdirSync(NIX_OVMF, { recursive: true });
  for (const paths of Object.values(LAYOUTS)) {
    fs.symlinkSync(DEBIAN.code, paths.loader);
    fs.symlinkSync(DEBIAN.vars, paths.nvramTemplate);
  }
});
afterAll(() => fs.rmSync(NIX_OVMF, { recursive: true, force: true }));

describe("UEFI with the NixOS firmware layout", () => {
  const names = Object.keys(LAYOUTS).map((n) => `uefi-${n}`);

  test("both layouts boot UEFI; an EFI variable is written to each VM's NVRAM", async () => {
    expectExit(await uefi.deploy(spec("1024 MiB"), ["--wait-for-addresses", "5m"]), 0);
    for (const name of names) {
      await waitForAgent(name);
      expect((await guestShell(name, "test -d /sys/firmware/efi && echo uefi")).trim()).toBe("uefi");
      await guestShell(name, `printf '\\007\\000\\000\\000${name}' > /tmp/var && dd if=/tmp/var of=${VARIABLE} bs=4096 2>/dev/null`);
    }
  });

  test("an update restarts them with their NVRAM kept; the next deploy changes nothing", async () => {
    expectExit(await uefi.deploy(spec("1280 MiB"), ["--wait-for-addresses", "5m"]), 0);
    for (const name of names) {
      expect(domInfo(name).get("Max memory")).toBe(`${1280 * 1024} KiB`);
      await waitForAgent(name);
      // the first four bytes are the attributes
      expect((await guestShell(name, `dd if=${VARIABLE} bs=4096 2>/dev/null | tail -c +5`)).trim()).toBe(name);
    }
    const again = await uefi.deploy(spec("1280 MiB"));
    expectExit(again, 0);
    expect(again.stderr).toContain("no changes");
  });
});

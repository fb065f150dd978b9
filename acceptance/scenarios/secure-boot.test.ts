// Secure boot: `firmware: { uefi: { secureBoot: true } }` with the host's secure-boot files from the
// unit's environment (here Debian's OVMF: the SMM build and the variable store with Microsoft's keys
// enrolled). The guest boots through Debian's signed shim and GRUB with secure boot enforced, the kernel
// says so, and the provider reads the domain back as configured.
import { Deployment, expectExit, LAB_VM, labSpec } from "../harness/deploy";
import { guestShell, waitForAgent } from "../harness/guest";
import { currentLab } from "../harness/lab";
import { domainXml } from "../harness/virsh";

const lab = currentLab();
const secure = new Deployment(lab, "secure-boot");
const spec = labSpec("secure-boot", { vms: { "secure-boot": { ...LAB_VM, interfaces: [{ network: "br0" }], firmware: { uefi: { secureBoot: true } } } } });
const environment = {
  TF_VAR_libvirt_uefi_secure_loader: "/usr/share/OVMF/OVMF_CODE_4M.secboot.fd",
  TF_VAR_libvirt_uefi_secure_nvram_template: "/usr/share/OVMF/OVMF_VARS_4M.ms.fd",
};
// the UEFI global variable: 4 bytes of attributes, then 1 when secure boot is on
const SECURE_BOOT = "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c";

describe("secure boot", () => {
  test("the guest boots its signed shim with secure boot enforced; the domain converges", async () => {
    expectExit(await secure.deploy(spec, [], environment), 0);
    const xml = domainXml("secure-boot");
    expect(xml).toMatch(/<loader readonly='yes' secure='yes' type='pflash'>\/usr\/share\/OVMF\/OVMF_CODE_4M\.secboot\.fd<\/loader>/);
    expect(xml).toContain("<smm state='on'/>");

    await waitForAgent("secure-boot");
    expect((await guestShell("secure-boot", `od -An -tu1 ${SECURE_BOOT}`)).trim().split(/\s+/)).toEqual(["6", "0", "0", "0", "1"]);
    expect(await guestShell("secure-boot", "dmesg | grep -o 'Secure boot enabled' | head -1")).toBe("Secure boot enabled\n");

    const again = await secure.deploy(spec, [], environment);
    expectExit(again, 0);
    // nothing to change in the resources (the addresses output may fill now that the agent answers)
    expect(again.stderr).toMatch(/\[deploy\] (no changes: stack secure-boot matches the configuration|plan: 0 to create, 0 to update, 0 to replace, 0 to delete)/);
  });
});

// Secure boot: the loader marked secure, SMM on, and the host's secure-boot files as their own
// Terraform variables unless the VM names its files; x86_64 only.
import { Architecture, BaseImage, Firmware, LibvirtHost, LibvirtStack, VirtualMachine } from "cdktf-libvirt";
import { errorOf, resources, synth } from "../helpers/synth";

function vm(firmware: Firmware, arch?: Architecture) {
  return (s: LibvirtStack) => {
    const host = new LibvirtHost(s, "local");
    new VirtualMachine(host, "win", { image: new BaseImage(host, "img", { source: "/i.qcow2" }), firmware, arch });
  };
}

test("the host's secure-boot code and Microsoft-keyed variable store, a secure loader and SMM", () => {
  const { tf } = synth(vm(Firmware.uefi({ secureBoot: true })));
  const domain = resources(tf, "libvirt_domain").local_win;
  expect(domain.os).toMatchObject({
    loader: "${var.libvirt_uefi_secure_loader}",
    loader_readonly: "yes",
    loader_type: "pflash",
    loader_secure: "yes",
    nv_ram: { nv_ram: "/var/lib/libvirt/qemu/nvram/win_VARS.fd", template: "${var.libvirt_uefi_secure_nvram_template}" },
  });
  expect(domain.features).toEqual({ acpi: true, smm: { state: "on" } });
  expect(Object.keys(tf.variable)).toEqual(["libvirt_uefi_secure_loader", "libvirt_uefi_secure_nvram_template"]);
});

test("named files are used as they are; plain UEFI has no secure loader and no SMM", () => {
  const named = resources(synth(vm(Firmware.uefi({ secureBoot: true, loader: "/fw/CODE.secboot.fd", nvramTemplate: "/fw/VARS.ms.fd" }))).tf, "libvirt_domain").local_win;
  expect(named.os).toMatchObject({ loader: "/fw/CODE.secboot.fd", loader_secure: "yes", nv_ram: { template: "/fw/VARS.ms.fd" } });
  const plain = resources(synth(vm(Firmware.uefi())).tf, "libvirt_domain").local_win;
  expect(plain.os.loader_secure).toBeUndefined();
  expect(plain.features).toEqual({ acpi: true });
});

test("refused on aarch64", () => {
  expect(errorOf(vm(Firmware.uefi({ secureBoot: true }), Architecture.AARCH64))).toBe("[test/local/win] firmware.secureBoot: secure boot is offered for x86_64 guests only (OVMF with SMM)");
});

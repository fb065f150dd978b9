# The UEFI firmware files the module's host part provides under /run/libvirt/nix-ovmf, as the NixOS
# release it runs on names them there: up to 25.05 the libvirtd module linked OVMF's build as
# OVMF_CODE.fd/OVMF_VARS.fd ("ovmf"); since 25.11 it links QEMU's own edk2 files under QEMU's names
# ("edk2"). Builtins only, so the tests and the acceptance suite read the same paths without nixpkgs.
# Secure boot (x86_64) has names of the module's own there, for OVMFFull's secure-boot code and its
# variable store with Microsoft's keys enrolled, in either layout.
#
#   nix-instantiate --eval --strict --json -E 'import ./nix/uefi.nix { layout = "edk2"; }'
{
  layout,
  aarch64 ? false,
}:
let
  dir = "/run/libvirt/nix-ovmf";
  names =
    {
      ovmf =
        if aarch64 then
          { loader = "AAVMF_CODE.fd"; nvramTemplate = "AAVMF_VARS.fd"; }
        else
          { loader = "OVMF_CODE.fd"; nvramTemplate = "OVMF_VARS.fd"; };
      # the file names QEMU installs in share/qemu
      edk2 =
        if aarch64 then
          { loader = "edk2-aarch64-code.fd"; nvramTemplate = "edk2-arm-vars.fd"; }
        else
          { loader = "edk2-x86_64-code.fd"; nvramTemplate = "edk2-i386-vars.fd"; };
    }
    .${layout};
in
{
  inherit dir names;
  loader = "${dir}/${names.loader}";
  nvramTemplate = "${dir}/${names.nvramTemplate}";
  secureLoader = if aarch64 then null else "${dir}/cdktf-libvirt-secure-code.fd";
  secureNvramTemplate = if aarch64 then null else "${dir}/cdktf-libvirt-secure-vars.fd";
}

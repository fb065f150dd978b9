# The seed's testvm as values for services.cdktf-libvirt: one VM "testvm" with 2048 MiB, 1 vCPU and a
# 100 GiB system disk on a Debian base image, on the LAN through the host bridge br0 (DHCP), started
# with the host. Plain values, no nixpkgs: a NixOS configuration can use it as
#
#   services.cdktf-libvirt = import ./nix/examples/testvm.nix // { host.bridge.interface = "enp1s0"; };
#
# and the tests evaluate it with nix/spec.nix, compare the result with app/default.spec.json.
{
  enable = true;
  stack = "testvm";
  uri = "qemu:///system";

  images."debian-12" = {
    # read by the deploy unit (user cdktf-libvirt): download it once, or use a store path from fetchurl
    source = "/var/lib/libvirt/images/debian-12-genericcloud-amd64.qcow2";
    virtualSize = "2 GiB";
  };

  networks.br0 = {
    type = "host-bridge";
    bridge = "br0";
  };

  vms.testvm = {
    image = "debian-12";
    memory = "2048 MiB";
    vcpus = 1;
    systemDiskSize = "100 GiB";
    interfaces = [ { network = "br0"; } ];
    autostart = true;
  };

  # The host side: libvirtd with UEFI firmware, the "default" storage pool, and br0 over the LAN port
  # (DHCP), made by the host's own networking stack.
  host = {
    enable = true;
    bridge = {
      enable = true;
      name = "br0";
      interface = "enp1s0"; # your LAN port (ip link)
      macAddress = "52:54:00:12:34:56"; # its MAC, so the host keeps its DHCP lease
    };
  };
}

# NixOS VM test: a host with libvirtd, the br0 bridge and the module; after boot the unit has applied
# the stack and `virsh list --all` shows the VM defined. Needs Nix, nixpkgs and KVM (the VM test driver
# runs QEMU, and libvirt inside it defines a KVM domain); it does not run where only the Jest tests run.
#
#   nix build .#checks.x86_64-linux.vm -L
{ package }:
let
  # planted in the secret file; must not show up in the unit or the spec
  plantedHash = "$6$cdktftest$PLANTEDSECRETVALUE0123456789";
in
{
  name = "cdktf-libvirt";

  nodes.host =
    { lib, pkgs, ... }:
    let
      # a tiny blank disk stands in for a cloud image: the VM is defined, never booted
      tinyImage = pkgs.runCommand "tiny.qcow2" { nativeBuildInputs = [ pkgs.qemu-utils ]; } /* bash */ ''
        qemu-img create -f qcow2 "$out" 64M
      '';
    in
    {
      imports = [ ../module.nix ];

      virtualisation.memorySize = 2048;
      virtualisation.diskSize = 4096;
      # eth1: the test network; eth2: the "LAN port" that br0 takes over
      virtualisation.vlans = [
        1
        2
      ];
      networking.interfaces.eth2.ipv4.addresses = lib.mkForce [ ];

      # the secret file, outside the store, readable by root only (LoadCredential reads it as root)
      systemd.tmpfiles.rules = [
        "d /run/cdktf-test 0700 root root -"
        "f /run/cdktf-test/admin-hash 0600 root root - ${plantedHash}"
      ];

      services.cdktf-libvirt = {
        enable = true;
        inherit package;
        stack = "testvm";
        images.tiny.source = tinyImage;
        networks.br0 = {
          type = "host-bridge";
          bridge = "br0";
        };
        vms.testvm = {
          image = "tiny";
          memory = "256 MiB";
          vcpus = 1;
          systemDiskSize = "1 GiB";
          interfaces = [ { network = "br0"; } ];
          autostart = true;
          running = false;
          guestAgent = false;
          cloudInit.users = [
            {
              name = "admin";
              passwordHash.secret = "admin_password_hash";
            }
          ];
        };
        secrets.admin_password_hash = "/run/cdktf-test/admin-hash";
        host = {
          enable = true;
          bridge = {
            enable = true;
            interface = "eth2";
            addresses = [ "192.168.2.10/24" ];
          };
        };
      };
    };

  testScript =
    { nodes, ... }:
    let
      specFile = nodes.host.services.cdktf-libvirt.specFile;
    in
    ''
      start_all()
      host.wait_for_unit("libvirtd.service")
      host.wait_for_unit("cdktf-libvirt.service")

      with subtest("the stack is applied: the VM is defined"):
          host.succeed("virsh -c qemu:///system list --all --name | grep -qx testvm")
          host.succeed("test -f /var/lib/cdktf-libvirt/testvm/terraform.tfstate")

      with subtest("host side: UEFI firmware where services.cdktf-libvirt.uefi says, default pool, br0 over eth2"):
          host.succeed("test -e ${nodes.host.services.cdktf-libvirt.uefi.loader}")
          host.succeed("test -e ${nodes.host.services.cdktf-libvirt.uefi.nvramTemplate}")
          host.succeed("virsh -c qemu:///system pool-list --name | grep -qx default")
          host.succeed("ip -d link show br0 | grep -q bridge")
          host.succeed("ip link show eth2 | grep -q 'master br0'")

      with subtest("state is private"):
          host.succeed("test \"$(stat -c %a /var/lib/cdktf-libvirt)\" = 700")
          host.succeed("test \"$(stat -c %U /var/lib/cdktf-libvirt)\" = cdktf-libvirt")

      with subtest("the secret's value is in neither the unit nor the spec, only its path"):
          host.fail("grep -F PLANTEDSECRETVALUE /etc/systemd/system/cdktf-libvirt.service ${specFile}")
          host.succeed("grep -F /run/cdktf-test/admin-hash /etc/systemd/system/cdktf-libvirt.service")

      with subtest("running again with nothing changed applies nothing"):
          host.succeed("systemctl restart cdktf-libvirt.service")
          host.succeed("journalctl -u cdktf-libvirt.service --no-pager | grep -q 'no changes: stack testvm'")

      with subtest("cdktf-libvirt-plan: nothing to do, exit 0"):
          host.succeed("cdktf-libvirt-plan")
    '';
}

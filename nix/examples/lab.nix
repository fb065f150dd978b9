# A fuller stack as values for services.cdktf-libvirt, covering every collection of the spec: a pool,
# images, a host bridge and a NAT network, VMs with static addresses, data disks, cloud-init and UEFI,
# and a group. The tests check that nix/spec.nix turns it into a spec the app accepts and synthesizes.
{
  enable = true;
  stack = "lab";
  uri = "qemu:///system";

  pools.fast.path = "/srv/nvme/vms";

  images = {
    "debian-12" = {
      source = "/var/lib/libvirt/images/debian-12-genericcloud-amd64.qcow2";
      pool = "fast";
      virtualSize = "2 GiB";
    };
    "alpine" = {
      source = "https://example.invalid/alpine.qcow2";
      format = "qcow2";
    };
  };

  networks = {
    lan = {
      type = "host-bridge";
      bridge = "br0";
      subnets = [ "192.168.1.0/24" ];
      gateway4 = "192.168.1.1";
      nameservers = [ "192.168.1.1" ];
      searchDomains = [ "lan" ];
    };
    backend = {
      type = "nat";
      subnet = "192.168.100.0/24";
      dhcpRange = {
        start = "192.168.100.100";
        end = "192.168.100.199";
      };
      domain = "backend.lab";
    };
  };

  vms.web = {
    image = "debian-12";
    memory = "4 GiB";
    vcpus = 2;
    systemDiskSize = "40 GiB";
    firmware.uefi = { };
    interfaces = [
      {
        network = "lan";
        addresses = [ "192.168.1.50/24" ];
      }
      { network = "backend"; }
    ];
    dataDisks.data = {
      size = "100 GiB";
      removalPolicy = "retain";
    };
    cloudInit = {
      users = [
        {
          name = "admin";
          sshAuthorizedKeys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBXlabXlabXlabXlabXlabXlabXlabXlabXlabXlab admin@lab" ];
          passwordHash.secret = "admin_password_hash";
          sudo = true;
        }
      ];
      packages = [ "nginx" ];
      runcmd = [
        "systemctl enable --now nginx"
        [
          "touch"
          "/etc/cloud-init-done"
        ]
      ];
      timezone = "Europe/Berlin";
    };
  };

  groups.worker = {
    count = 2;
    hostnamePrefix = "worker";
    image = "alpine";
    memory = "1024 MiB";
    interfaces = [
      {
        network = "lan";
        addressRange.start = "192.168.1.61/24";
      }
    ];
  };

  secrets.admin_password_hash = "/run/secrets/lab-admin-hash";
  allowDestroy = [ "libvirt_domain.local_worker_1" ];
}

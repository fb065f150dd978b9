# The benchmark's fleet written for terranix, for `npm run bench -- --terranix DIR --nixpkgs-lib DIR`:
# per VM, what the constructs declare (a copy-on-write system disk over one base image, a cloud-init
# seed with its user-data, meta-data and network-config, the seed volume, the domain on br0, the address
# lookup and an output), with the MAC derived from a hash of the host, VM and NIC as the constructs do.
# terranix evaluates it with nixpkgs' module system, as a NixOS host would.
{ count }:
{ lib, ... }:
let
  vm = i: "vm-${toString i}";
  name = i: "local_${vm i}";
  hash = i: builtins.hashString "sha256" "local/${vm i}/0";
  mac = i: "52:54:00:${builtins.substring 0 2 (hash i)}:${builtins.substring 2 2 (hash i)}:${builtins.substring 4 2 (hash i)}";
  each = f: builtins.listToAttrs (builtins.genList (i: { name = name i; value = f i; }) count);
  provider = "libvirt.local";
in
{
  terraform.required_providers.libvirt = { source = "dmacvicar/libvirt"; version = ">= 0.9.7, < 0.10.0"; };
  provider.libvirt = [ { alias = "local"; uri = "qemu:///system"; } ];

  resource.libvirt_volume =
    {
      local_debian = {
        inherit provider;
        name = "debian.qcow2";
        pool = "default";
        target.format.type = "qcow2";
        create.content.url = "/var/lib/libvirt/images/debian-12.qcow2";
        lifecycle.prevent_destroy = true;
      };
    }
    // lib.mapAttrs' (n: v: lib.nameValuePair "${n}_SystemDisk" v) (each (i: {
      inherit provider;
      name = "${vm i}-system.qcow2";
      pool = "default";
      capacity = 100;
      capacity_unit = "GiB";
      target.format.type = "qcow2";
      backing_store = { format.type = "qcow2"; path = "\${libvirt_volume.local_debian.path}"; };
      lifecycle = { prevent_destroy = true; ignore_changes = [ "capacity" "capacity_unit" "backing_store" ]; };
    }))
    // lib.mapAttrs' (n: v: lib.nameValuePair "${n}_CloudInit" v) (each (i: {
      inherit provider;
      name = "${vm i}-seed.iso";
      pool = "default";
      create.content.url = "\${libvirt_cloudinit_disk.${name i}_CloudInit_seed.path}";
      lifecycle.replace_triggered_by = [ "libvirt_cloudinit_disk.${name i}_CloudInit_seed" ];
    }));

  resource.libvirt_cloudinit_disk = lib.mapAttrs' (n: v: lib.nameValuePair "${n}_CloudInit_seed" v) (each (i: {
    inherit provider;
    name = "${vm i}-seed";
    meta_data = "instance-id: ${vm i}\nlocal-hostname: ${vm i}\n";
    user_data = "#cloud-config\nhostname: ${vm i}\npackages:\n  - qemu-guest-agent\nruncmd:\n  - - systemctl\n    - enable\n    - --now\n    - qemu-guest-agent\n";
    network_config = "version: 2\nethernets:\n  nic0:\n    match:\n      macaddress: ${mac i}\n    set-name: eth0\n    dhcp4: true\n";
  }));

  resource.libvirt_domain = each (i: {
    inherit provider;
    name = vm i;
    type = "kvm";
    memory = 2048;
    memory_unit = "MiB";
    vcpu = 1;
    running = true;
    autostart = true;
    cpu.mode = "host-passthrough";
    features.acpi = true;
    os = { type = "hvm"; type_arch = "x86_64"; type_machine = "q35"; boot_devices = [ { dev = "hd"; } ]; };
    devices = {
      disks = [
        { source.volume = { pool = "default"; volume = "\${libvirt_volume.${name i}_SystemDisk.name}"; }; target = { dev = "vda"; bus = "virtio"; }; driver.type = "qcow2"; }
        { device = "cdrom"; source.volume = { pool = "default"; volume = "\${libvirt_volume.${name i}_CloudInit.name}"; }; target = { dev = "sda"; bus = "sata"; }; }
      ];
      interfaces = [ { source.bridge.bridge = "br0"; model.type = "virtio"; mac.address = mac i; } ];
      serials = [ { target.port = 0; } ];
      consoles = [ { target = { type = "serial"; port = 0; }; } ];
      channels = [ { source.unix = { }; target.virt_io.name = "org.qemu.guest_agent.0"; } ];
    };
    update.shutdown.timeout = 120;
    destroy.shutdown.timeout = 120;
  });

  data.libvirt_domain_interface_addresses = each (i: { inherit provider; domain = "\${libvirt_domain.${name i}.uuid}"; source = "agent"; });

  output = each (i: {
    description = "name and addresses of VM ${vm i}";
    value = {
      name = "\${libvirt_domain.${name i}.name}";
      macs = [ (mac i) ];
      addresses = "\${flatten([for i in data.libvirt_domain_interface_addresses.${name i}.interfaces : [for a in i.addrs : a.addr if !startswith(a.addr, \"fe80:\") && !startswith(a.addr, \"169.254.\")] if contains([\"${mac i}\"], i.hwaddr)])}";
    };
  });
}

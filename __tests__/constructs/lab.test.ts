import { Testing } from "cdktf";
import { LabStack } from "../../examples/lab";
import { resources, synthStack } from "../helpers/synth";

describe("the lab example (several VMs, a data disk, static IPs, UEFI)", () => {
  const { json, tf } = synthStack(new LabStack(Testing.app(), "lab"));
  const domains = resources(tf, "libvirt_domain");

  test("defines the database VM and three web VMs", () => {
    expect(Object.keys(domains).sort()).toEqual(["kvm1_db", "kvm1_web_web-1", "kvm1_web_web-2", "kvm1_web_web-3"]);
    expect(domains.kvm1_db).toMatchObject({ memory: 8192, memory_unit: "MiB", vcpu: 4 });
  });

  test("the UEFI VM renders the loader and the NVRAM template together, from the host that applies (variables)", () => {
    expect(domains.kvm1_db.os).toEqual({
      type: "hvm",
      type_arch: "x86_64",
      type_machine: "q35",
      boot_devices: [{ dev: "hd" }],
      loader: "${var.libvirt_uefi_loader}",
      loader_readonly: "yes",
      loader_type: "pflash",
      nv_ram: { nv_ram: "/var/lib/libvirt/qemu/nvram/db_VARS.fd", template: "${var.libvirt_uefi_nvram_template}" },
    });
    expect(domains["kvm1_web_web-1"].os).not.toHaveProperty("loader");
  });

  test("the data disk is a retained blank volume attached as vdb", () => {
    expect(resources(tf, "libvirt_volume").kvm1_db_data).toEqual({
      name: "db-data.qcow2",
      pool: "${libvirt_pool.kvm1_vmstore.name}",
      provider: "libvirt.kvm1",
      capacity: 200,
      capacity_unit: "GiB",
      target: { format: { type: "qcow2" } },
      lifecycle: { prevent_destroy: true, ignore_changes: ["capacity", "capacity_unit"] },
    });
    expect(domains.kvm1_db.devices.disks.map((d: any) => d.target)).toEqual([
      { dev: "vda", bus: "virtio" },
      { dev: "vdb", bus: "virtio" },
      { dev: "sda", bus: "sata" },
    ]);
  });

  test("static addresses come from the group's range, with the LAN's gateway and DNS", () => {
    const seeds = resources(tf, "libvirt_cloudinit_disk");
    expect(seeds["kvm1_web_web-3_CloudInit_seed"].network_config).toContain("- 192.168.10.102/24");
    expect(seeds.kvm1_db_CloudInit_seed.network_config).toBe(
      [
        "version: 2",
        "ethernets:",
        "  nic0:",
        "    match:",
        `      macaddress: ${domains.kvm1_db.devices.interfaces[0].mac.address}`,
        "    set-name: eth0",
        "    addresses:",
        "      - 192.168.10.20/24",
        "    dhcp4: false",
        "    dhcp6: false",
        "    routes:",
        "      - to: 0.0.0.0/0",
        "        via: 192.168.10.1",
        "    nameservers:",
        "      addresses:",
        "        - 192.168.10.1",
        "      search:",
        "        - lab.example.org",
        "",
      ].join("\n"),
    );
  });

  test("the VNC console listens on localhost only", () => {
    expect(domains.kvm1_db.devices.graphics).toEqual([{ vnc: { auto_port: true, listen: "127.0.0.1" } }]);
  });

  test("the pool is retained and never deletes its directory", () => {
    expect(resources(tf, "libvirt_pool").kvm1_vmstore).toEqual({
      name: "vmstore",
      type: "dir",
      provider: "libvirt.kvm1",
      target: { path: "/var/lib/libvirt/vmstore" },
      destroy: { delete: false },
      lifecycle: { prevent_destroy: true },
    });
  });

  test("matches the snapshot", () => {
    // the parsed document: cdktf and its fork cdktn print the same JSON a little differently
    expect(JSON.parse(json)).toMatchSnapshot();
  });
});

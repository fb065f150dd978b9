import { execFileSync, spawnSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Testing } from "cdktf";
import { LabStack } from "../../examples/lab";
import { BaseImage, BridgeNetwork, CloudInitOptions, LibvirtHost, Secret, VirtualMachine } from "cdktf-libvirt";
import { resources, synth, synthStack } from "../helpers/synth";

// The real checkers from Debian's cloud-init package (installed by .ci/run): `cloud-init schema` for
// user-data, and cloud-init's own network-state parser for network-config v2 (22.4's schema command
// does not cover network-config).
const work = mkdtempSync(join(tmpdir(), "cloud-init-test-"));

function cloudInitSchema(userData: string): { status: number | null; output: string } {
  const file = join(work, `user-data-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, userData);
  const run = spawnSync("cloud-init", ["schema", "--config-file", file], { encoding: "utf8" });
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const PARSE_NETWORK = `
import json, sys, yaml
from cloudinit.net import network_state
ns = network_state.parse_net_config_data(yaml.safe_load(open(sys.argv[1])), skip_broken=False)
print(json.dumps([{"name": i["name"], "mac": i["mac_address"], "subnets": i["subnets"]} for i in ns.iter_interfaces()], default=str))
`;

function parseNetworkConfig(config: string): any[] {
  const file = join(work, `network-config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, config);
  return JSON.parse(execFileSync("/usr/bin/python3", ["-c", PARSE_NETWORK, file], { encoding: "utf8" }));
}

/** What Terraform hands the provider: escapes undone, variables replaced by a value. */
function asTerraformRenders(text: string): string {
  return text.replace(/\$\{var\.[a-z0-9_]+\}/g, "$6$rounds=4096$salt$hashhashhash").replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

describe("cloud-init documents", () => {
  test("the checker is live: it rejects a wrong type", () => {
    const result = cloudInitSchema("#cloud-config\nusers: 5\n");
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("users: 5 is not of type");
  });

  test("every VM's user-data in the lab example is valid cloud-config", () => {
    const { tf } = synthStack(new LabStack(Testing.app(), "lab"));
    const seeds = Object.values(resources(tf, "libvirt_cloudinit_disk"));
    expect(seeds).toHaveLength(4);
    for (const seed of seeds) {
      const result = cloudInitSchema(asTerraformRenders(seed.user_data));
      expect(result).toEqual({ status: 0, output: expect.stringContaining("Valid cloud-config") });
    }
  });

  test("user-data with every typed field, a secret hash and shell text is valid cloud-config", () => {
    const { tf } = synth((s) => {
      const host = new LibvirtHost(s, "local");
      new VirtualMachine(host, "app", {
        image: new BaseImage(host, "img", { source: "/i.qcow2" }),
        cloudInit: {
          users: [
            { name: "ops", sshAuthorizedKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGm9aVQUR8s3mpnb0q6JDyrQ1u4uCKYxxPrNM3ZJxFgK ops@lab"], sudo: true, groups: ["wheel", "adm"], shell: "/bin/bash" },
            { name: "backup", passwordHash: Secret.fromVariable(host, "backup_hash") },
            { name: "audit", passwordHash: "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7" },
          ],
          packages: ["htop", "postgresql-15"],
          runcmd: ["echo ${HOSTNAME} > /etc/motd", ["touch", "/var/lib/ready"]],
          timezone: "Europe/Berlin",
          fqdn: "app.example.org",
        },
      });
    });
    const userData = resources(tf, "libvirt_cloudinit_disk").local_app_CloudInit_seed.user_data;
    const rendered = asTerraformRenders(userData);
    expect(rendered).toContain("echo ${HOSTNAME} > /etc/motd");
    expect(cloudInitSchema(rendered)).toEqual({ status: 0, output: expect.stringContaining("Valid cloud-config") });
  });

  test("network-config: cloud-init parses DHCP, and static addresses with gateway, DNS and search domains", () => {
    const { tf } = synthStack(new LabStack(Testing.app(), "lab"));
    const seeds = resources(tf, "libvirt_cloudinit_disk");
    const mac = resources(tf, "libvirt_domain").kvm1_db.devices.interfaces[0].mac.address;
    expect(parseNetworkConfig(seeds.kvm1_db_CloudInit_seed.network_config)).toEqual([
      {
        name: "eth0",
        mac,
        subnets: [
          {
            type: "static",
            address: "192.168.10.20",
            prefix: 24,
            netmask: "255.255.255.0",
            dns_nameservers: ["192.168.10.1"],
            dns_search: ["lab.example.org"],
            routes: [{ gateway: "192.168.10.1", network: "0.0.0.0", prefix: 0, netmask: "0.0.0.0" }],
          },
        ],
      },
    ]);

    const dhcp = synth((s) => {
      const host = new LibvirtHost(s, "local");
      new VirtualMachine(host, "vm", {
        image: new BaseImage(host, "img", { source: "/i.qcow2" }),
        interfaces: [
          { network: BridgeNetwork.fromHostBridge(host, "br0", { bridge: "br0" }) },
          { network: BridgeNetwork.fromHostBridge(host, "br1", { bridge: "br1" }), addresses: ["2001:db8::5/64"], gateway6: "2001:db8::1" },
        ],
      });
    });
    const parsed = parseNetworkConfig(resources(dhcp.tf, "libvirt_cloudinit_disk").local_vm_CloudInit_seed.network_config);
    expect(parsed.map((i) => [i.name, i.subnets.map((s: any) => [s.type, s.address, s.prefix])])).toEqual([
      ["eth0", [["dhcp4", undefined, undefined]]],
      ["eth1", [["static", "2001:db8::5", 64]]],
    ]);
    expect(parsed[1].subnets[0]).toMatchObject({ gateway: "2001:db8::1", routes: [] });
  });

  test("values YAML 1.1 reads as numbers or booleans stay strings for cloud-init (a MAC of decimal pairs, the hostname \"on\")", () => {
    // cloud-init loads with PyYAML (YAML 1.1): unquoted, 52:54:00:12:34:56 is a base-60 integer and `on` is true
    const mac = "52:54:00:12:34:56";
    const { tf } = synth((s) => {
      const host = new LibvirtHost(s, "local");
      new VirtualMachine(host, "on", {
        image: new BaseImage(host, "img", { source: "/i.qcow2" }),
        interfaces: [{ network: BridgeNetwork.fromHostBridge(host, "br0", { bridge: "br0" }), mac }],
      });
    });
    const seed = resources(tf, "libvirt_cloudinit_disk").local_on_CloudInit_seed;
    expect(parseNetworkConfig(seed.network_config).map((i) => i.mac)).toEqual([mac]);
    expect(cloudInitSchema(asTerraformRenders(seed.user_data))).toEqual({ status: 0, output: expect.stringContaining("Valid cloud-config") });
    const metaData = execFileSync("/usr/bin/python3", ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))"], { input: seed.meta_data, encoding: "utf8" });
    expect(JSON.parse(metaData)).toEqual({ "instance-id": "on", "local-hostname": "on" });
  });
});

describe("cloudInit.applyOnChange", () => {
  const seedOf = (cloudInit: CloudInitOptions) => {
    const { tf } = synth((s) => {
      const host = new LibvirtHost(s, "local");
      const br0 = BridgeNetwork.fromHostBridge(host, "br0", { bridge: "br0" });
      new VirtualMachine(host, "web", { image: new BaseImage(host, "img", { source: "/i.qcow2" }), interfaces: [{ network: br0 }], cloudInit });
    });
    return resources(tf, "libvirt_cloudinit_disk").local_web_CloudInit_seed;
  };

  test("off by default: the instance-id is the hostname, whatever the documents say", () => {
    expect(seedOf({ packages: ["nginx"] }).meta_data).toBe("instance-id: web\nlocal-hostname: web\n");
    expect(seedOf({ packages: ["htop"] }).meta_data).toBe("instance-id: web\nlocal-hostname: web\n");
  });

  test("on: the instance-id follows the user-data and network-config, and is stable for the same documents", () => {
    const nginx = seedOf({ packages: ["nginx"], applyOnChange: true }).meta_data;
    expect(nginx).toMatch(/^instance-id: web-[0-9a-f]{12}\nlocal-hostname: web\n$/);
    expect(seedOf({ packages: ["nginx"], applyOnChange: true }).meta_data).toBe(nginx);
    expect(seedOf({ packages: ["htop"], applyOnChange: true }).meta_data).not.toBe(nginx);
  });
});

import { Testing } from "cdktf";
import { buildStacks, parseSpec } from "../../stack-spec";
import { testvmSpec } from "../helpers/spec";

const HOST = "stacks.testvm.hosts.local";

/** Builds the spec and runs every validation, as main.ts does; returns the problems, or fails the test. */
function errorOf(edit: (spec: any, host: any) => void): string {
  const spec = testvmSpec();
  edit(spec, spec.stacks.testvm.hosts.local);
  try {
    const app = Testing.app();
    buildStacks(app, parseSpec(spec));
    const problems = app.node.findAll().flatMap((c) => c.node.validate().map((message) => `[${c.node.path}] ${message}`));
    if (problems.length > 0) return problems.join("\n");
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected the spec to be refused");
}

const clash = (path: string, earlier: string) =>
  `spec: ${path}: its key is also ${earlier}'s; keys must differ across one parent's collections, because each becomes a construct id there (rename one; a pool's or network's libvirt name can be set with "name")`;

describe("keys that would share a construct id are refused with both spec paths", () => {
  test.each([
    ["a pool and a network keyed default", (_s: any, h: any) => ((h.pools = { default: { path: "/p" } }), (h.networks.default = { type: "host-bridge", bridge: "br1" })), clash(`${HOST}.networks.default`, `${HOST}.pools.default`)],
    ["an image keyed like a VM", (_s: any, h: any) => (h.images.testvm = { source: "/t.qcow2" }), clash(`${HOST}.vms.testvm`, `${HOST}.images.testvm`)],
    ["a network keyed like an image", (_s: any, h: any) => (h.networks["debian-12"] = { type: "host-bridge", bridge: "br1" }), clash(`${HOST}.networks.debian-12`, `${HOST}.images.debian-12`)],
    ["a group keyed like a VM", (_s: any, h: any) => (h.groups = { testvm: { image: "debian-12", count: 1, hostnamePrefix: "t" } }), clash(`${HOST}.groups.testvm`, `${HOST}.vms.testvm`)],
    ["a pool keyed like a group", (_s: any, h: any) => ((h.pools = { web: { path: "/p" } }), (h.groups = { web: { image: "debian-12", count: 1, hostnamePrefix: "w" } })), clash(`${HOST}.groups.web`, `${HOST}.pools.web`)],
  ])("%s", (_what, edit, message) => {
    expect(errorOf(edit)).toBe(message);
  });

  test("a pool keyed otherwise may carry the libvirt name default beside a network keyed default", () => {
    expect(() =>
      errorOf((_s, h) => {
        h.pools = { "default-pool": { path: "/p", name: "default" } };
        h.networks.default = { type: "host-bridge", bridge: "br1" };
      }),
    ).toThrow("expected the spec to be refused");
  });
});

describe("keys the framework or JavaScript has taken are refused with their spec path", () => {
  test.each([
    ["a host keyed backend", (s: any) => ((s.stacks.testvm.hosts.backend = s.stacks.testvm.hosts.local), delete s.stacks.testvm.hosts.local), 'spec: stacks.testvm.hosts.backend: "backend" cannot be a key here: testvm/backend has that construct id'],
    ["an image keyed Provider", (_s: any, h: any) => (h.images.Provider = { source: "/p.qcow2" }), `spec: ${HOST}.images.Provider: "Provider" cannot be a key here: testvm/local/Provider has that construct id`],
    ["a VM keyed constructor", (_s: any, h: any) => (h.vms.constructor = { image: "debian-12" }), `spec: ${HOST}.vms.constructor: "constructor" cannot be a key: the constructs library reserves it (a property of JavaScript objects)`],
    ["an image keyed toString", (_s: any, h: any) => (h.images.toString = { source: "/p.qcow2" }), `spec: ${HOST}.images.toString: "toString" cannot be a key: the constructs library reserves it (a property of JavaScript objects)`],
    ["a network keyed hasOwnProperty", (_s: any, h: any) => (h.networks.hasOwnProperty = { type: "host-bridge", bridge: "br1" }), `spec: ${HOST}.networks.hasOwnProperty: "hasOwnProperty" cannot be a key: the constructs library reserves it (a property of JavaScript objects)`],
    ["a stack keyed constructor", (s: any) => ((s.stacks.constructor = s.stacks.testvm), delete s.stacks.testvm), 'spec: stacks.constructor: "constructor" cannot be a key: the constructs library reserves it (a property of JavaScript objects)'],
    ["a data disk keyed constructor", (_s: any, h: any) => (h.vms.testvm.dataDisks = { constructor: { size: "1 GiB" } }), `spec: ${HOST}.vms.testvm.dataDisks.constructor: "constructor" cannot be a key: the constructs library reserves it (a property of JavaScript objects)`],
    ["an empty image key", (_s: any, h: any) => (h.images[""] = { source: "/p.qcow2", name: "p.qcow2" }), `spec: ${HOST}.images.: an empty key cannot be a construct id`],
  ])("%s", (_what, edit, message) => {
    expect(errorOf(edit as (s: any, h: any) => void)).toBe(message);
  });
});

describe("volume names are unique in a pool across images, disks and cloud-init seeds", () => {
  test("two images with one file name", () => {
    expect(errorOf((_s, h) => (h.images.other = { source: "/o.qcow2", name: "debian-12.qcow2" }))).toBe(
      '[testvm/local/other] name: volume "debian-12.qcow2" already exists in this pool (testvm/local/debian-12)',
    );
  });

  test("an image named like a VM's cloud-init seed", () => {
    expect(errorOf((_s, h) => (h.images.seed = { source: "/o.iso", name: "testvm-seed.iso", format: "raw" }))).toBe(
      '[testvm/local/testvm/CloudInit] name: volume "testvm-seed.iso" already exists in this pool (testvm/local/seed)',
    );
  });

  test("an image named like a VM's system disk", () => {
    expect(errorOf((_s, h) => (h.images.sys = { source: "/o.qcow2", name: "testvm-system.qcow2" }))).toBe(
      '[testvm/local/testvm/SystemDisk] name: volume "testvm-system.qcow2" already exists in this pool (testvm/local/sys)',
    );
  });

  test("an image named like a VM's data disk", () => {
    expect(
      errorOf((_s, h) => {
        h.images.data = { source: "/o.qcow2", name: "testvm-data.qcow2" };
        h.vms.testvm.dataDisks = { data: { size: "1 GiB" } };
      }),
    ).toBe('[testvm/local/testvm/data] name: volume "testvm-data.qcow2" already exists in this pool (testvm/local/data)');
  });

  test("the same file name in two pools is fine", () => {
    expect(() =>
      errorOf((_s, h) => {
        h.pools = { other: { path: "/other" } };
        h.images.copy = { source: "/o.qcow2", name: "debian-12.qcow2", pool: "other" };
      }),
    ).toThrow("expected the spec to be refused");
  });
});

describe("hosts with one URI are one hypervisor", () => {
  const second = (s: any, edit: (host: any) => void = () => {}) => {
    const copy = structuredClone(s.stacks.testvm.hosts.local);
    copy.images["debian-12"].name = "debian-12-b.qcow2";
    edit(copy);
    return copy;
  };

  test("the same domain name through two stacks", () => {
    expect(errorOf((s) => (s.stacks.other = { hosts: { local: second(s) } }))).toContain(
      '[other/local/testvm] name: domain name "testvm" is already used by testvm/local/testvm on the same hypervisor, qemu:///system',
    );
  });

  test("the same domain name through two host entries with one URI", () => {
    expect(errorOf((s) => (s.stacks.testvm.hosts.again = second(s)))).toContain(
      '[testvm/again/testvm] name: domain name "testvm" is already used by testvm/local/testvm on the same hypervisor, qemu:///system',
    );
  });

  test("the same MAC through two stacks", () => {
    expect(
      errorOf((s) => {
        s.stacks.testvm.hosts.local.vms.testvm.interfaces[0].mac = "52:54:00:00:00:07";
        s.stacks.other = { hosts: { local: second(s, (h) => ((h.vms = { web: h.vms.testvm }), (h.vms.web.interfaces[0].mac = "52:54:00:00:00:07"))) } };
      }),
    ).toBe('[other/local/web] interfaces[0].mac: MAC "52:54:00:00:00:07" is already used by testvm/local/testvm on the same hypervisor, qemu:///system');
  });

  test("the same image file through two stacks", () => {
    expect(errorOf((s) => (s.stacks.other = { hosts: { local: structuredClone(s.stacks.testvm.hosts.local) } }))).toBe(
      '[other/local/debian-12] name: volume "debian-12.qcow2" already exists in this pool (testvm/local/debian-12 on the same hypervisor, qemu:///system)',
    );
  });

  test("two URIs are two hypervisors", () => {
    expect(() => errorOf((s) => (s.stacks.other = { hosts: { local: second(s, (h) => (h.uri = "qemu+ssh://root@kvm2/system")) } }))).toThrow(
      "expected the spec to be refused",
    );
  });
});

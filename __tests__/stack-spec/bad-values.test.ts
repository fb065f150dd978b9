import { Testing } from "cdktf";
import { buildStacks, parseSpec } from "../../stack-spec";
import { testvmSpec, withVm } from "../helpers/spec";

const VM = "stacks.testvm.hosts.local.vms.testvm";

/** The testvm spec with `patch` on its VM, and what parsing or building it throws. */
function errorOf(patch: object, host: object = {}): string {
  const spec = withVm(patch);
  Object.assign(spec.stacks.testvm.hosts.local, host);
  try {
    buildStacks(Testing.app(), parseSpec(spec));
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected the spec to be refused");
}

describe("values zod would call only 'Invalid input' say what they must be", () => {
  test.each([
    [{ firmware: { uefi: { loader: 1 } } }, `spec spec: ${VM}.firmware.uefi.loader: Invalid input: expected string, received number`],
    [{ firmware: { uefi: {}, bios: true } }, `spec spec: ${VM}.firmware.bios: unknown key`],
    [{ cpu: { model: 3 } }, `spec spec: ${VM}.cpu.model: Invalid input: expected string, received number`],
    [{ cloudInit: { users: [{ name: "ops", passwordHash: 5 }] } }, `spec spec: ${VM}.cloudInit.users[0].passwordHash: must be a crypt(3) hash string or { "secret": "<name>" }`],
    [{ cloudInit: { runcmd: [5] } }, `spec spec: ${VM}.cloudInit.runcmd[0]: must be a shell command string or an argv list of strings`],
    [{ cloudInit: { runcmd: [["echo", 1]] } }, `spec spec: ${VM}.cloudInit.runcmd[0][1]: Invalid input: expected string, received number`],
    [{ vcpus: 1.5 }, `spec spec: ${VM}.vcpus: must be a whole number`],
    [{ shutdownTimeoutSeconds: 0.5 }, `spec spec: ${VM}.shutdownTimeoutSeconds: must be a whole number`],
  ])("%j", (patch, message) => {
    expect(errorOf(patch)).toBe(message);
  });

  test("a fractional group count", () => {
    expect(errorOf({}, { groups: { web: { image: "debian-12", count: 2.5, hostnamePrefix: "web" } } })).toBe("spec spec: stacks.testvm.hosts.local.groups.web.count: must be a whole number");
  });
});

describe("sizes are refused with their spec path", () => {
  test.each([
    [{ dataDisks: { data: { size: "0.5 B" } } }, `spec: ${VM}.dataDisks.data.size: 0.5 B is not a whole number of bytes`],
    [{ dataDisks: { data: { size: "8192.5 TiB" } } }, `spec: ${VM}.dataDisks.data.size: 8192.5 TiB cannot be held exactly: above 2^53 bytes give a whole number of a larger unit`],
    [{ dataDisks: { data: { size: "16777216 TiB" } } }, `spec: ${VM}.dataDisks.data.size: 16777216 TiB is not below libvirt's limit of 16777216 TiB (2^64 bytes)`],
    [{ systemDiskSize: "0.1 KiB" }, `spec: ${VM}.systemDiskSize: 0.1 KiB is not a whole number of bytes`],
  ])("%j", (patch, message) => {
    expect(errorOf(patch)).toBe(message);
  });

  test("a group's data disk", () => {
    expect(errorOf({}, { groups: { web: { image: "debian-12", count: 2, hostnamePrefix: "web", dataDisks: { data: { size: "1.5 B" } } } } })).toBe(
      "spec: stacks.testvm.hosts.local.groups.web.dataDisks.data.size: 1.5 B is not a whole number of bytes",
    );
  });

  test("9999 TiB is a whole number of bytes and accepted", () => {
    const spec = testvmSpec();
    spec.stacks.testvm.hosts.local.vms.testvm.dataDisks = { data: { size: "9999 TiB" } };
    const tf = Testing.synth(buildStacks(Testing.app(), parseSpec(spec))[0]);
    expect(JSON.parse(tf).resource.libvirt_volume.local_testvm_data).toMatchObject({ capacity: 9999, capacity_unit: "TiB" });
  });
});

describe("a group's macBase", () => {
  const group = (macBase: string) => ({ groups: { web: { image: "debian-12", count: 2, hostnamePrefix: "web", interfaces: [{ network: "br0", macBase }] } } });

  test("numbers the group's MACs", () => {
    const spec = testvmSpec();
    Object.assign(spec.stacks.testvm.hosts.local, group("52:54:00:20:00:00"));
    const tf = JSON.parse(Testing.synth(buildStacks(Testing.app(), parseSpec(spec))[0], true));
    const macs = ["local_web_web-1", "local_web_web-2"].map((name) => tf.resource.libvirt_domain[name].devices.interfaces[0].mac.address);
    expect(macs).toEqual(["52:54:00:20:00:00", "52:54:00:20:00:01"]);
  });

  test("a multicast macBase", () => {
    expect(errorOf({}, group("03:00:00:00:00:00"))).toBe('[testvm/local/web] interfaces[0].macBase: "03:00:00:00:00:00" is a multicast address; a NIC needs a unicast MAC');
  });
});

import * as fs from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import { BaseImage, Firmware, LibvirtHost, LibvirtStack, VirtualMachine } from "cdktf-libvirt";
import { preflight } from "../../deploy/preflight";
import { cleanup, runDeploy, testEnv, tmpDir } from "./helpers";

afterAll(cleanup);

/** The stack file the constructs write (with the marks Testing.synth strips): one VM on `uri`. */
function uefiStack(uri: string, firmware: Firmware): Record<string, any> {
  const app = new App({ outdir: tmpDir("preflight-synth-") });
  const host = new LibvirtHost(new LibvirtStack(app, "s"), "hv", { uri });
  new VirtualMachine(host, "vm", { image: new BaseImage(host, "img", { source: "/i.qcow2" }), firmware });
  app.synth();
  return JSON.parse(fs.readFileSync(path.join(app.outdir, "stacks", "s", "cdk.tf.json"), "utf8"));
}

const hostVars = {
  TF_VAR_libvirt_uefi_loader: "/host/code.fd",
  TF_VAR_libvirt_uefi_nvram_template: "/host/vars.fd",
};

describe("preflight", () => {
  test("the host's UEFI variables must be set, and are named with what they are", () => {
    const missing = preflight(uefiStack("qemu:///system", Firmware.uefi()), {}, () => true);
    expect(missing.map((m) => m.where)).toEqual(["var.libvirt_uefi_loader", "var.libvirt_uefi_nvram_template"]);
    expect(missing[0].message).toMatch(/^has no value: set TF_VAR_libvirt_uefi_loader \(UEFI firmware code/);
  });

  test("on a local libvirtd the files they name must exist", () => {
    const exists = (p: string) => p === "/host/code.fd";
    const missing = preflight(uefiStack("qemu:///system", Firmware.uefi()), hostVars, exists);
    expect(missing).toEqual([{ where: "var.libvirt_uefi_nvram_template", message: expect.stringMatching(/^\/host\/vars.fd does not exist on this host \(UEFI variable store/) }]);
  });

  test("paths given literally are checked where the domain names them", () => {
    const fw = Firmware.uefi({ loader: "/given/code.fd", nvramTemplate: "/given/vars.fd" });
    const missing = preflight(uefiStack("qemu:///system", fw), {}, (p) => p !== "/given/vars.fd");
    expect(missing).toEqual([{ where: "libvirt_domain.hv_vm.os.nv_ram.template", message: "/given/vars.fd does not exist on this host" }]);
  });

  test("for a remote libvirtd the files are the remote's: only the values are required", () => {
    const stack = uefiStack("qemu+ssh://root@hv1/system", Firmware.uefi());
    expect(preflight(stack, hostVars, () => false)).toEqual([]);
    expect(preflight(stack, {}, () => false)).toHaveLength(2);
  });

  test("a BIOS stack needs nothing from the host", () => {
    expect(preflight(uefiStack("qemu:///system", Firmware.bios()), {}, () => false)).toEqual([]);
  });
});

test("deploy refuses a stack whose variables have no value before running terraform (usage error)", async () => {
  const synthDir = tmpDir();
  const dir = path.join(synthDir, "stacks", "s");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "cdk.tf.json"),
    JSON.stringify({ variable: { colour: { type: "string", description: "the colour" } }, resource: { terraform_data: { x: { input: "${var.colour}" } } } }),
  );
  const r = await runDeploy(["--no-synth", "--synth-dir", synthDir, "--state-dir", path.join(tmpDir(), "state")], testEnv());
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("var.colour: has no value: set TF_VAR_colour (the colour)");
  expect(r.stderr).not.toContain("terraform init");
});

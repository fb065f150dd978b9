// `deploy --plan-only`, what cdktf-libvirt-plan and the drift check run: against the real provider it
// reports drift made behind its back (virsh), pending changes and what an apply would refuse, with the
// exit codes of plan -detailed-exitcode, and changes nothing in libvirt or the state.
import * as fs from "node:fs";
import { Deployment, expectExit, LAB_VM, labSpec } from "../harness/deploy";
import { currentLab } from "../harness/lab";
import { domInfo, virsh } from "../harness/virsh";

const lab = currentLab();
const planned = new Deployment(lab, "planned");
const VM = "planned";
const spec = (vm: Record<string, unknown> = {}) =>
  labSpec("planned", { vms: { [VM]: { ...LAB_VM, running: false, autostart: false, interfaces: [{ network: "br0" }], ...vm } } });
const planOnly = (vm: Record<string, unknown> = {}) => planned.deploy(spec(vm), ["--plan-only"]);

describe("deploy --plan-only on the real provider", () => {
  test("before the first apply: 2, and nothing exists afterwards", async () => {
    const run = await planOnly();
    expectExit(run, 2);
    expect(run.stderr).toMatch(/\+\s+libvirt_domain\.local_planned {2}\(create\)/);
    expect(run.stderr).toContain("plan only: an apply would make these changes to stack planned; nothing applied");
    expect(virsh("list", "--all", "--name").split("\n")).not.toContain(VM);
    expect(fs.existsSync(planned.stateFile)).toBe(false);
  });

  test("applied: 0", async () => {
    expectExit(await planned.deploy(spec()), 0);
    expectExit(await planOnly(), 0);
  });

  test("drift made with virsh: 2, naming the domain; libvirt and the state are left as they are", async () => {
    virsh("autostart", VM);
    const state = fs.readFileSync(planned.stateFile, "utf8");
    const run = await planOnly();
    expectExit(run, 2);
    expect(run.stderr).toMatch(/~\s+libvirt_domain\.local_planned {2}\(update\)/);
    expect(domInfo(VM).get("Autostart")).toBe("enable");
    expect(fs.readFileSync(planned.stateFile, "utf8")).toBe(state);
    // an apply puts it back, and then there is nothing to report
    expectExit(await planned.deploy(spec()), 0);
    expect(domInfo(VM).get("Autostart")).toBe("disable");
    expectExit(await planOnly(), 0);
  });

  test("a change an apply would refuse (the VM removed): 3 with the address; nothing removed", async () => {
    const run = await planned.deploy(labSpec("planned", {}), ["--plan-only"]);
    expectExit(run, 3);
    expect(run.stderr).toContain("libvirt_domain.local_planned");
    expect(run.stderr).toContain("--allow-destroy 'libvirt_domain.local_planned'");
    expect(domInfo(VM).get("State")).toBe("shut off");
  });
});

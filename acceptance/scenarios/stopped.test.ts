// A VM declared `running: false` is defined, not started, and converges: libvirt drops the guest agent
// channel's mode from a stopped domain, and the constructs render the channel without one.
import { Deployment, expectExit, LAB_VM, labSpec } from "../harness/deploy";
import { currentLab } from "../harness/lab";
import { domainXml, domInfo } from "../harness/virsh";

const lab = currentLab();
const stopped = new Deployment(lab, "stopped");
const spec = labSpec("stopped", { vms: { idle: { ...LAB_VM, running: false, autostart: false, interfaces: [{ network: "br0" }] } } });

describe("running: false", () => {
  test("is created shut off, with the agent channel; the next deploy changes nothing", async () => {
    expectExit(await stopped.deploy(spec), 0);
    expect(domInfo("idle").get("State")).toBe("shut off");
    expect(domainXml("idle", true)).toContain("<target type='virtio' name='org.qemu.guest_agent.0'/>");
    const again = await stopped.deploy(spec);
    expectExit(again, 0);
    expect(again.stderr).toContain("[deploy] no changes: stack stopped matches the configuration; nothing applied");
  });
});

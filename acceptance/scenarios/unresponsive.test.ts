// Deleting the domain of a guest that ignores the ACPI power button: the provider waits the shutdown
// timeout and gives up without forcing; deploy says so, names the command that powers the guest off,
// and the next deploy completes the deletion.
import { Deployment, expectExit, LAB_VM, labSpec } from "../harness/deploy";
import { waitForAgent, waitForCloudInit } from "../harness/guest";
import { currentLab } from "../harness/lab";
import { run } from "../harness/run";
import { domainExists, domInfo } from "../harness/virsh";

const lab = currentLab();
const stubborn = new Deployment(lab, "stubborn");
// libvirt asks the guest agent to shut down first, then presses the ACPI power button: refuse both
const IGNORE_SHUTDOWN = [
  "mkdir -p /etc/systemd/logind.conf.d /etc/systemd/system/qemu-guest-agent.service.d",
  "printf '[Login]\\nHandlePowerKey=ignore\\n' > /etc/systemd/logind.conf.d/ignore.conf",
  "printf '[Service]\\nExecStart=\\nExecStart=/usr/sbin/qemu-ga --block-rpcs=guest-shutdown\\n' > /etc/systemd/system/qemu-guest-agent.service.d/no-shutdown.conf",
  "systemctl daemon-reload && systemctl restart systemd-logind qemu-guest-agent",
].join(" && ");

describe("a guest that ignores ACPI", () => {
  test("its deletion fails after the timeout with the command that stops it; after that command, deploy completes", async () => {
    const spec = labSpec("stubborn", {
      vms: { stubborn: { ...LAB_VM, interfaces: [{ network: "br0" }], shutdownTimeoutSeconds: 15, systemDiskRemovalPolicy: "destroy", cloudInit: { runcmd: [IGNORE_SHUTDOWN] } } },
    });
    expectExit(await stubborn.deploy(spec), 0);
    await waitForAgent("stubborn");
    expect(await waitForCloudInit("stubborn")).toEqual([]);
    // the agent restarted with guest-shutdown blocked
    await waitForAgent("stubborn");

    const allow = ["--allow-destroy", "libvirt_domain.local_stubborn", "--allow-destroy", "libvirt_volume.local_stubborn_SystemDisk"];
    const gone = labSpec("stubborn", {});
    const failed = await stubborn.deploy(gone, allow);
    expectExit(failed, 1);
    expect(failed.stderr).toContain("a guest did not shut down within its shutdownTimeoutSeconds after the ACPI request");
    expect(failed.stderr).toContain("virsh -c qemu:///system destroy stubborn    # libvirt_domain.local_stubborn");
    expect(domInfo("stubborn").get("State")).toBe("running");

    run("virsh", ["-q", "-c", "qemu:///system", "destroy", "stubborn"]);
    expectExit(await stubborn.deploy(gone, allow), 0);
    expect(domainExists("stubborn")).toBe(false);
  });
});

// The harness' own check, run by CI when no provider is given: the lab's libvirtd answers inside its
// namespace, the cached guest image boots under TCG from a NoCloud seed, its agent answers, cloud-init
// set the hostname, and the guest took a DHCP lease on br0. It defines the domain with virsh directly
// (no provider), so the suite's foundations cannot rot unseen.
import * as fs from "node:fs";
import * as path from "node:path";
import { guestShell, waitForAgent, waitForCloudInit } from "./guest";
import { inLab, Lab, leases, URI } from "./lab";
import { run, waitFor } from "./run";
import { smallDomainXml } from "./virsh";

const NAME = "harness-check";
const MAC = "52:54:00:ac:ce:01";

export async function checkHarness(lab: Lab, guestImage: string, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const seconds = () => `${Math.round((Date.now() - started) / 1000)} s`;
  // the cache may sit in root's home, which qemu (user libvirt-qemu) cannot read: back the disk by a copy
  const base = path.join(lab.poolDir, `${NAME}-base.qcow2`);
  fs.copyFileSync(guestImage, base);
  const disk = path.join(lab.poolDir, `${NAME}.qcow2`);
  run("qemu-img", ["create", "-q", "-f", "qcow2", "-b", base, "-F", "qcow2", disk, "8G"]);
  const seedDir = fs.mkdtempSync(path.join(lab.runDir, "seed-"));
  fs.writeFileSync(path.join(seedDir, "meta-data"), `instance-id: ${NAME}\nlocal-hostname: ${NAME}\n`);
  fs.writeFileSync(path.join(seedDir, "user-data"), `#cloud-config\nhostname: ${NAME}\n`);
  fs.writeFileSync(
    path.join(seedDir, "network-config"),
    `version: 2\nethernets:\n  nic0:\n    match:\n      macaddress: "${MAC}"\n    set-name: eth0\n    dhcp4: true\n`,
  );
  const seed = path.join(lab.poolDir, `${NAME}-seed.iso`);
  run("genisoimage", ["-quiet", "-output", seed, "-volid", "cidata", "-joliet", "-rock", ...["user-data", "meta-data", "network-config"].map((f) => path.join(seedDir, f))]);
  const xml = path.join(lab.runDir, `${NAME}.xml`);
  fs.writeFileSync(xml, domainXml(disk, seed));
  run("virsh", ["-q", "-c", URI, "define", xml]);
  run("virsh", ["-q", "-c", URI, "start", NAME]);
  log(`harness check: ${NAME} started under TCG (libvirtd in namespace ${lab.netns})`);
  try {
    await waitForAgent(NAME);
    log(`harness check: the guest agent answers after ${seconds()}`);
    const errors = await waitForCloudInit(NAME);
    if (errors.length > 0) throw new Error(`cloud-init reported errors: ${errors.join("; ")}`);
    const hostname = (await guestShell(NAME, "hostname")).trim();
    if (hostname !== NAME) throw new Error(`the guest's hostname is ${JSON.stringify(hostname)}, not ${NAME}: cloud-init did not apply the seed`);
    const address = await waitFor(`a DHCP lease for ${MAC}`, 60_000, () => leases(lab).get(MAC));
    const eth0 = await guestShell(NAME, "ip -o -4 addr show dev eth0");
    if (!eth0.includes(`${address}/`)) throw new Error(`eth0 in the guest does not hold the leased ${address}: ${eth0}`);
    const ping = inLab(lab, "ping", ["-c", "1", "-W", "5", address]);
    if (ping.code !== 0) throw new Error(`${address} does not answer ping inside the namespace: ${ping.output}`);
    log(`harness check: cloud-init done after ${seconds()}; hostname ${hostname}; eth0 ${address} answers ping in the namespace`);
  } finally {
    run("virsh", ["-q", "-c", URI, "destroy", NAME]);
    run("virsh", ["-q", "-c", URI, "undefine", NAME]);
  }
}

function domainXml(disk: string, seed: string): string {
  return smallDomainXml(NAME, MAC, [
    `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${disk}'/><target dev='vda' bus='virtio'/></disk>`,
    `<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='${seed}'/><target dev='sda' bus='sata'/><readonly/></disk>`,
  ], ["<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"]);
}

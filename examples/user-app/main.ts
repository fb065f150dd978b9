import { App, TerraformOutput } from "cdktf";
import { BaseImage, BridgeNetwork, LibvirtHost, LibvirtStack } from "cdktf-libvirt";
import { WebPair } from "./web-pair";

const app = new App();
const stack = new LibvirtStack(app, "web");
const host = new LibvirtHost(stack, "local", { uri: "qemu:///system" });
const image = new BaseImage(host, "debian-12", { source: "/var/lib/libvirt/images/debian-12-genericcloud-amd64.qcow2" });
const lan = BridgeNetwork.fromHostBridge(host, "lan", { bridge: "br0" });
const web = new WebPair(host, "web", { image, lan });
new TerraformOutput(stack, "web_uuids", { value: web.vms.map((vm) => vm.uuid) });
app.synth();

import { Construct } from "constructs";
import { BaseImage, BridgeNetwork, Size, VirtualMachine, Volume } from "cdktf-libvirt";

export interface WebPairProps {
  readonly image: BaseImage;
  readonly lan: BridgeNetwork;
  /** @default Size.gibibytes(20) */
  readonly dataSize?: Size;
}

/** Two web servers on the LAN, each with a data disk of its own: `<id>-a` and `<id>-b`. */
export class WebPair extends Construct {
  public readonly vms: VirtualMachine[];

  constructor(scope: Construct, id: string, props: WebPairProps) {
    super(scope, id);
    this.vms = ["a", "b"].map((name) => {
      const vm = new VirtualMachine(this, name, {
        image: props.image,
        memory: Size.gibibytes(2),
        vcpus: 2,
        interfaces: [{ network: props.lan }],
        cloudInit: { packages: ["nginx"] },
      });
      vm.addDisk(Volume.blank(vm, "data", { size: props.dataSize ?? Size.gibibytes(20) }));
      return vm;
    });
  }
}

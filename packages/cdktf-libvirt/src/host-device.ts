// PCI (domain:bus:slot.function, as lspci -D prints it) and USB (vendor:product, as lsusb prints it)
const PCI_ADDRESS = /^(?:([0-9a-f]{4}):)?([0-9a-f]{2}):([01][0-9a-f])\.([0-7])$/;
const USB_ID = /^(?:0x)?([0-9a-f]{4})$/;

/**
 * A device of the hypervisor handed to the guest whole (libvirt's `<hostdev>`). A PCI device is
 * `managed`: libvirt detaches it from its host driver and binds it to vfio-pci when the VM starts, and
 * gives it back when it stops. The host needs the IOMMU on (see the README's GPU passthrough example).
 */
export class HostDevice {
  /** A PCI device by address, as `lspci -D` prints it: "0000:01:00.0", or "01:00.0" in domain 0. */
  public static pci(address: string): HostDevice {
    return new HostDevice("pci", address.toLowerCase());
  }

  /** A USB device by vendor and product id, as `lsusb` prints them ("046d", "c52b"): whichever port it is on. */
  public static usb(vendorId: string, productId: string): HostDevice {
    return new HostDevice("usb", `${vendorId.toLowerCase()}:${productId.toLowerCase()}`);
  }

  private constructor(
    public readonly bus: "pci" | "usb",
    /** The address or vendor:product as given, lower case. */
    public readonly id: string,
  ) {}

  /** What is wrong with the address or ids, or undefined. */
  public problem(): string | undefined {
    if (this.bus === "pci") {
      return PCI_ADDRESS.test(this.id) ? undefined : `"${this.id}" is not a PCI address such as 0000:01:00.0 (domain:bus:slot.function, as lspci -D prints it)`;
    }
    const [vendor, product] = this.id.split(":");
    return USB_ID.test(vendor) && USB_ID.test(product) ? undefined : `"${this.id}" is not a USB vendor:product pair of 4 hex digits each, such as 046d:c52b (as lsusb prints it)`;
  }

  /** The device's identity on its host, for claims: one device cannot go to two VMs. */
  public get key(): string {
    if (this.bus === "usb") return `USB ${this.id.replace(/0x/g, "")}`;
    const { domain, bus, slot, fn } = this.pciAddress();
    return `PCI ${domain}:${bus}:${slot}.${fn}`;
  }

  /** A valid PCI address's parts, in hex, with domain 0000 when it names none. */
  private pciAddress() {
    const [, domain = "0000", bus, slot, fn] = PCI_ADDRESS.exec(this.id)!;
    return { domain, bus, slot, fn };
  }

  /** The provider's hostdevs entry. @internal */
  public _render() {
    if (this.bus === "usb") {
      const [vendor, product] = this.id.split(":").map((id) => `0x${id.replace(/^0x/, "")}`);
      return { subsysUsb: { source: { vendor: { id: vendor }, product: { id: product } } } };
    }
    const { domain, bus, slot, fn } = this.pciAddress();
    return {
      managed: true,
      subsysPci: { source: { address: { domain: parseInt(domain, 16), bus: parseInt(bus, 16), slot: parseInt(slot, 16), function: parseInt(fn, 16) } } },
    };
  }
}

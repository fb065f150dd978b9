/**
 * The provider's resource and data source types, in the shape cdktf's Testing matchers take, so that a
 * construct of your own can be unit-tested without the generated bindings:
 *
 *     expect(Testing.synth(stack)).toHaveResourceWithProperties(LibvirtResourceTypes.DOMAIN, { name: "web-1" });
 *
 * Properties are compared in the provider's snake_case (`memory_unit`, `type_machine`).
 */
export const LibvirtResourceTypes = {
  DOMAIN: { tfResourceType: "libvirt_domain" },
  VOLUME: { tfResourceType: "libvirt_volume" },
  POOL: { tfResourceType: "libvirt_pool" },
  NETWORK: { tfResourceType: "libvirt_network" },
  CLOUDINIT_DISK: { tfResourceType: "libvirt_cloudinit_disk" },
  /** A data source: use with toHaveDataSource / toHaveDataSourceWithProperties. */
  DOMAIN_INTERFACE_ADDRESSES: { tfResourceType: "libvirt_domain_interface_addresses" },
  PROVIDER: { tfResourceType: "libvirt" },
} as const;

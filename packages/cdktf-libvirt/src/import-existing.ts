import { TerraformResource } from "cdktf";

// What dmacvicar/libvirt 0.9.7 accepts as the id of an `import` block (internal/provider/*_resource.go,
// each ImportState): libvirt_domain its UUID (passed to `uuid`, read with LookupDomainByUUID; a name is
// not looked up), libvirt_pool and libvirt_network their UUID (passed to `id`, read by UUID). A
// libvirt_volume takes its key, but 0.9.7's Read looks the volume up by the `key` attribute, which the
// import leaves empty, so every volume import fails (dmacvicar/terraform-provider-libvirt#1277, fixed
// after 0.9.7): Volume.existing attaches such a disk without managing it instead.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why `text` is not a libvirt UUID as `virsh domuuid`, `pool-uuid` or `net-uuid` print it; undefined when it is. */
export function uuidProblem(text: string, how: string): string | undefined {
  return UUID.test(text) ? undefined : `"${text}" is not a UUID such as 4dea22b3-1d52-d8f3-2516-782e98ab3fa0 (${how} prints it)`;
}

/**
 * Renders an `import` block for `resource` (cdktf's importFrom), so the first apply adopts the object
 * with this UUID instead of creating one. No provider is named: the block then imports through the
 * resource's own provider, the host's.
 */
export function importExisting(resource: TerraformResource, uuid: string | undefined): void {
  if (uuid !== undefined) resource.importFrom(uuid);
}

import { TerraformResource } from "cdktf";

// What dmacvicar/libvirt 0.9.7 accepts as the id of an `import` block (internal/provider/*_resource.go,
// each ImportState and the Read after it):
// - libvirt_domain: its UUID (passed to `uuid`, read with LookupDomainByUUID; a name is not looked up).
//   The Read after an import fills the whole state from the domain's XML, and Update redefines it.
// - libvirt_network: its UUID (passed to `id`). The Read fills only the required name; the rest follows
//   the configuration, and Update changes nothing but autostart: adopt a network declared as it is.
// - libvirt_pool: its UUID, but the Read fills only name and type, so the configuration's target and
//   destroy are an update, and Update always fails ("Storage pools cannot be updated"): a pool that
//   exists is used by name (StoragePool.fromName), not adopted.
// - libvirt_volume: its key, but the Read looks the volume up by the `key` attribute, which the import
//   leaves empty, so every import fails (dmacvicar/terraform-provider-libvirt#1277, fixed after 0.9.7):
//   Volume.existing attaches such a disk without managing it.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why `text` is not a libvirt UUID as `virsh domuuid` or `net-uuid` print it; undefined when it is. */
export function uuidProblem(text: string, how: string): string | undefined {
  return UUID.test(text) ? undefined : `"${text}" is not a UUID such as 4dea22b3-1d52-d8f3-2516-782e98ab3fa0 (${how} prints it)`;
}

/**
 * Renders an `import` block for `resource` (cdktf's importFrom), so the first apply adopts the object
 * with this UUID instead of creating one. No provider is named: an import block's provider is only for
 * generating configuration, and one whose resource is declared imports through the resource's provider,
 * the host's (hashicorp/terraform#33175).
 */
export function importExisting(resource: TerraformResource, uuid: string | undefined): void {
  if (uuid !== undefined) resource.importFrom(uuid);
}

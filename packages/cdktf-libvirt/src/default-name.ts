import { createHash } from "crypto";
import { IConstruct } from "constructs";
import { LibvirtHost } from "./libvirt-host";

/**
 * The libvirt name a construct gets when it is given none: its construct path below its host, parts
 * joined with "-" (a VM "web" on the host is "web"; its disk "data" is "web-data"), so names are as
 * unique on the host as construct paths are, and stable across rebuilds. A name longer than `maxLength`
 * keeps its start and ends in 8 hex digits of the whole path's hash.
 */
export function defaultName(scope: IConstruct, maxLength: number): string {
  const scopes = scope.node.scopes;
  const host = scopes.findIndex((s) => s instanceof LibvirtHost);
  const joined = scopes
    .slice(host + 1)
    .map((s) => s.node.id)
    .join("-");
  if (joined.length <= maxLength) return joined;
  const hash = createHash("sha256").update(scope.node.path).digest("hex").slice(0, 8);
  return `${joined.slice(0, maxLength - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

import { Construct, IConstruct } from "constructs";
import { LibvirtHost } from "./libvirt-host";

/**
 * Why `user` cannot use `used` as one of its `what` ("networks", "images", ...): it is missing or not a
 * `kind` (a mistyped lookup gives undefined; the message names what the host has), or it belongs to
 * another host, whose provider would be asked for a volume or network this hypervisor does not have.
 * Undefined when it can.
 */
export function hostUseProblem(user: IConstruct, used: unknown, kind: Function & { readonly prototype: Construct }, what: string): string | undefined {
  const host = LibvirtHost.of(user);
  if (!(used instanceof kind)) {
    const known = host.node.findAll().filter((c) => c instanceof kind).map((c) => c.node.path);
    return `${used === undefined ? "missing" : `not a ${kind.name}`}; the ${what} of host ${host.node.path}: ${known.join(", ") || "none"}`;
  }
  const construct = used as Construct;
  const owner = LibvirtHost.of(construct);
  if (owner === host) return undefined;
  return `${construct.node.path} belongs to host ${owner.node.path}; ${user.node.path} can use only the ${what} of its own host, ${host.node.path}`;
}

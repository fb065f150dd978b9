import { Construct, IConstruct } from "constructs";
import { TerraformProvider } from "cdktf";
import { LibvirtProvider } from "../.gen/providers/libvirt/provider";
import { Problems, ValidationError } from "./errors";
import { literal } from "./literal";
import { derivedMac, hostLabelProblem, nextInBlock } from "./names";
import { PROVIDER_VERSIONS } from "./provider-version";

export interface LibvirtHostProps {
  /**
   * The libvirt connection URI: `qemu:///system` locally, `qemu+ssh://user@host/system` or
   * `qemu+sshcmd://user@host/system` (uses the system ssh and its config) for a remote hypervisor.
   * @default "qemu:///system"
   */
  readonly uri?: string;
}

// per app (the root construct), per URI: what each value is used by
const CLAIMS = new WeakMap<IConstruct, Map<string, Map<string, { owner: IConstruct; field: string }>>>();

function hypervisorClaims(host: LibvirtHost): Map<string, { owner: IConstruct; field: string }> {
  const root = host.node.root;
  if (!CLAIMS.has(root)) CLAIMS.set(root, new Map());
  const byUri = CLAIMS.get(root)!;
  if (!byUri.has(host.uri)) byUri.set(host.uri, new Map());
  return byUri.get(host.uri)!;
}

/** The local system libvirtd. */
export const DEFAULT_URI = "qemu:///system";

const URI = /^(qemu|lxc|xen|vbox|test)(\+(ssh|sshcmd|tls|tcp|unix|libssh|libssh2))?:\/\/[^\s]*\/(system|session)?(\?\S*)?$/;

/**
 * One hypervisor: the libvirt provider configured for its URI. Pools, images, networks and VMs are
 * created inside a host, so one stack can manage several hypervisors, each with its own provider alias.
 */
export class LibvirtHost extends Construct {
  /** Returns the host that `scope` belongs to; throws if it is not inside one. */
  public static of(scope: IConstruct): LibvirtHost {
    const host = [...scope.node.scopes].reverse().find((s): s is LibvirtHost => s instanceof LibvirtHost);
    if (!host) throw new ValidationError(scope.node.path, [{ field: "scope", message: "must be created inside a LibvirtHost" }]);
    return host;
  }

  public readonly uri: string;
  private readonly provider: LibvirtProvider;

  constructor(scope: Construct, id: string, props: LibvirtHostProps = {}) {
    super(scope, id);
    this.uri = props.uri ?? DEFAULT_URI;
    const problems = new Problems();
    const idProblem = hostLabelProblem(id);
    if (idProblem) problems.add("id", idProblem);
    if (!URI.test(this.uri)) {
      problems.add("uri", `"${this.uri}" is not a libvirt URI like qemu:///system or qemu+ssh://user@host/system`);
    }
    problems.throwIfAny(this);
    // an alias only when the stack has other hosts would rename the provider when one is added; always alias
    this.provider = new LibvirtProvider(this, "Provider", { uri: literal(this.uri), alias: id });
    // the bindings, like `cdktf get`, pin the exact release they were generated from; the stack accepts
    // the series (required_providers is rendered from this public metadata)
    Object.assign(this.provider, { terraformGeneratorMetadata: { ...this.provider.terraformGeneratorMetadata, providerVersion: PROVIDER_VERSIONS } });
  }

  /**
   * @internal Records that `owner` uses a value that must be unique on this hypervisor (a domain name, a
   * MAC, an IP, a volume name in a pool) and describes the earlier owner of the same value, if any. Hosts
   * with one URI, in one stack or in several of the app, are one libvirtd and share the values.
   */
  public _claim(owner: IConstruct, kind: string, value: string, field: string): string | undefined {
    const claims = hypervisorClaims(this);
    const key = `${kind}\0${value}`;
    const earlier = claims.get(key);
    if (!earlier) claims.set(key, { owner, field });
    // validations may run more than once; a construct's own claim is not a duplicate
    if (!earlier || (earlier.owner === owner && earlier.field === field)) return undefined;
    return LibvirtHost.of(earlier.owner) === this ? earlier.owner.node.path : `${earlier.owner.node.path} on the same hypervisor, ${this.uri}`;
  }

  /**
   * @internal The MAC derived from `seed` for `owner`'s NIC `field`, claimed on the hypervisor. 24 bits of
   * hash collide at scale (a group of 1000 on a host, ~3%): a MAC another NIC has already moves on to the
   * next free one in its block. The first NIC keeps its MAC, and every NIC that collides with none keeps
   * the MAC it always had, so only the later of two colliding NICs (in construction order) differs.
   */
  public _derivedMac(owner: IConstruct, seed: string, field: string): string {
    let mac = derivedMac(seed);
    for (let probes = 0; this._claim(owner, "MAC", mac, field) !== undefined; probes++) {
      if (probes === 2 ** 24) throw new ValidationError(owner.node.path, [{ field, message: `no free MAC left in ${mac.slice(0, 8)}` }]);
      mac = nextInBlock(mac);
    }
    return mac;
  }

  /** @internal Claims volume `name` in the pool `poolName` for `owner`; the problem when it is taken. */
  public _claimVolume(owner: IConstruct, poolName: string, name: string): string | undefined {
    const earlier = this._claim(owner, "volume", `${poolName}/${name}`, "name");
    return earlier && `volume "${name}" already exists in this pool (${earlier})`;
  }

  /** @internal the provider that resources of this host are bound to */
  public get _provider(): TerraformProvider {
    return this.provider;
  }
}

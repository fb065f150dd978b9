import { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { Pool } from "../.gen/providers/libvirt/pool";
import { defaultName } from "./default-name";
import { Problems, ValidationError } from "./errors";
import { LibvirtHost } from "./libvirt-host";
import { literal } from "./literal";
import { hostLabelProblem } from "./names";
import { RemovalPolicy } from "./removal-policy";
import { nameElement } from "./resource-name";

/** A libvirt storage pool that volumes can be created in. */
export interface IStoragePool {
  /** The pool's libvirt name (a Terraform reference when the pool is created by this stack). */
  readonly poolName: string;
}

export interface DirStoragePoolProps {
  /** @default - the construct path below the host, joined with "-" (the id, directly on the host) */
  readonly name?: string;
  /** Absolute directory that holds the pool's volumes, e.g. /var/lib/libvirt/vmstore. */
  readonly path: string;
  /**
   * What happens when the pool leaves the stack. RETAIN keeps the pool and refuses any plan that would
   * delete it; DESTROY lets Terraform undefine it (the directory itself is always kept).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** A `dir` storage pool created by this stack, or an existing pool named by `fromName`. */
export class StoragePool extends Construct implements IStoragePool {
  /** An existing pool on the host, such as the `default` pool most distributions define. */
  public static fromName(scope: Construct, id: string, name = "default"): IStoragePool {
    const problem = hostLabelProblem(name.toLowerCase());
    if (problem) throw new ValidationError(`${scope.node.path}/${id}`, [{ field: "name", message: problem }]);
    return { poolName: name };
  }

  public readonly poolName: string;
  public readonly path: string;
  /** The underlying `libvirt_pool` resource, for provider fields the props do not cover (`addOverride`). */
  public readonly resource: TerraformResource;

  constructor(scope: Construct, id: string, props: DirStoragePoolProps) {
    super(scope, id);
    const name = props.name ?? defaultName(this, 63);
    const problems = new Problems();
    const nameProblem = hostLabelProblem(name);
    if (nameProblem) problems.add("name", nameProblem);
    if (!props.path.startsWith("/")) problems.add("path", `"${props.path}" must be an absolute path`);
    problems.throwIfAny(this);

    this.path = props.path.replace(/\/+$/, "") || "/";
    const retain = (props.removalPolicy ?? RemovalPolicy.RETAIN) === RemovalPolicy.RETAIN;
    const pool = new Pool(this, "Resource", {
      provider: LibvirtHost.of(this)._provider,
      name,
      type: "dir",
      target: { path: literal(this.path) },
      // libvirt deletes a dir pool's directory on destroy by default; the data is never ours to delete
      destroy: { delete: false },
      lifecycle: { preventDestroy: retain },
    });
    nameElement(pool, this);
    this.poolName = pool.name;
    this.resource = pool;
  }
}

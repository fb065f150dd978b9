import { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { Volume as VolumeResource } from "../.gen/providers/libvirt/volume";
import { defaultName } from "./default-name";
import { Problems } from "./errors";
import { hostUseProblem } from "./host-use";
import { LibvirtHost } from "./libvirt-host";
import { literal } from "./literal";
import { RemovalPolicy } from "./removal-policy";
import { nameElement } from "./resource-name";
import { Size } from "./size";
import { IStoragePool, StoragePool } from "./storage-pool";
import { VolumeFormat } from "./volume-format";

export interface BaseImageProps {
  /**
   * Where the image comes from: an `http(s)://` URL, a `file:///abs/path`, or an absolute path. It is
   * read by the machine running Terraform and uploaded through libvirt, so it works over SSH too.
   */
  readonly source: string;
  /** @default - the host's pool named "default" */
  readonly pool?: IStoragePool;
  /**
   * The volume's name in the pool. Version it (e.g. `debian-12-20250101.qcow2`): the provider cannot
   * update a volume in place, so a new image needs a new name.
   * @default - the construct path below the host, joined with "-", and the format (`<id>.qcow2` directly on the host)
   */
  readonly name?: string;
  /** @default VolumeFormat.QCOW2 */
  readonly format?: VolumeFormat;
  /**
   * The image's virtual disk size, when known, so that a system disk smaller than the image fails at
   * synth time instead of at boot.
   * @default - unknown, not checked
   */
  readonly virtualSize?: Size;
  /**
   * The overlays made from the image need it as long as they exist: RETAIN refuses any plan that would
   * delete it. Set DESTROY once no VM uses the image any more.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A cloud image uploaded once into a pool, used read-only as the backing file of copy-on-write system
 * disks. Retained by default: deleting it would break every disk made from it. To move to a newer
 * image, add a BaseImage with a new name for new VMs and retire the old one when no VM uses it.
 */
export class BaseImage extends Construct {
  public readonly pool: IStoragePool;
  public readonly format: VolumeFormat;
  public readonly virtualSize?: Size;
  /** The volume's name in its pool. */
  public readonly volumeName: string;
  /** The path of the image file on the host (a Terraform reference), used as the overlays' backing store. */
  public readonly path: string;
  /** The underlying `libvirt_volume` resource, for provider fields the props do not cover (`addOverride`). */
  public readonly resource: TerraformResource;

  constructor(scope: Construct, id: string, props: BaseImageProps) {
    super(scope, id);
    this.format = props.format ?? VolumeFormat.QCOW2;
    this.pool = props.pool ?? StoragePool.fromName(this, "DefaultPool");
    this.virtualSize = props.virtualSize;
    const name = props.name ?? `${defaultName(this, 120)}.${this.format}`;

    const problems = new Problems();
    if (!/^(https?:\/\/\S+|file:\/\/\/\S+|\/\S*)$/.test(props.source)) {
      problems.add("source", `"${props.source}" must be an http(s):// URL, a file:/// URL or an absolute path`);
    }
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      problems.add("name", `"${name}" must be a file name of letters, digits, ".", "_" and "-"`);
    }
    if (props.virtualSize && props.virtualSize.bytes === 0) problems.add("virtualSize", "must be greater than zero");
    const pool = props.pool instanceof StoragePool && hostUseProblem(this, props.pool, StoragePool, "pools");
    if (pool) problems.add("pool", pool);
    const taken = LibvirtHost.of(this)._claimVolume(this, this.pool.poolName, name);
    if (taken) problems.add("name", taken);
    problems.throwIfAny(this);

    const volume = new VolumeResource(this, "Resource", {
      provider: LibvirtHost.of(this)._provider,
      name,
      pool: this.pool.poolName,
      target: { format: { type: this.format } },
      // the upload's length sets the size; a capacity here would be ignored by the provider
      create: { content: { url: literal(props.source) } },
      lifecycle: { preventDestroy: (props.removalPolicy ?? RemovalPolicy.RETAIN) === RemovalPolicy.RETAIN },
    });
    nameElement(volume, this);
    this.volumeName = volume.name;
    this.path = volume.path;
    this.resource = volume;
  }
}

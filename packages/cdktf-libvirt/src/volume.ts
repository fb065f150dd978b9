import { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { Volume as VolumeResource } from "../.gen/providers/libvirt/volume";
import { BaseImage } from "./base-image";
import { defaultName } from "./default-name";
import { Problems } from "./errors";
import { untraced } from "./framework";
import { hostUseProblem } from "./host-use";
import { LibvirtHost } from "./libvirt-host";
import { RemovalPolicy } from "./removal-policy";
import { nameElement } from "./resource-name";
import { Size } from "./size";
import { IStoragePool, StoragePool } from "./storage-pool";
import { VolumeFormat } from "./volume-format";

interface CommonVolumeOptions {
  /** Capacity of the disk as the guest sees it. */
  readonly size: Size;
  /** @default - for an overlay the base image's pool, else the host's pool named "default" */
  readonly pool?: IStoragePool;
  /**
   * The volume's file name in its pool.
   * @default - the construct path below the host, joined with "-", and the format: a disk "data" of VM "web" is `web-data.qcow2`
   */
  readonly name?: string;
  /**
   * What happens when the volume leaves the stack or would be replaced. RETAIN renders Terraform's
   * `prevent_destroy`, so such a plan fails; DESTROY lets it through (deploy still asks for the address
   * in its allow-list).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export interface OverlayVolumeOptions extends CommonVolumeOptions {
  /** The image this disk starts as; only the blocks the guest changes are stored in the volume. */
  readonly image: BaseImage;
}

export interface BlankVolumeOptions extends CommonVolumeOptions {
  /** @default VolumeFormat.QCOW2 */
  readonly format?: VolumeFormat;
}

export interface ExistingVolumeOptions {
  /**
   * The volume's path on the host, as `virsh vol-path --pool <pool> <name>` prints it (in a dir pool also
   * its key); its file name is the volume's name in `pool`.
   */
  readonly path: string;
  /** @default - the host's pool named "default" */
  readonly pool?: IStoragePool;
  /** The format the guest reads it as (`virsh vol-dumpxml` shows it). @default VolumeFormat.QCOW2 */
  readonly format?: VolumeFormat;
}

interface VolumeProps extends Omit<CommonVolumeOptions, "size"> {
  readonly size?: Size;
  readonly image?: BaseImage;
  readonly format: VolumeFormat;
  /** For an existing volume: its path, and no resource is declared. */
  readonly existingPath?: string;
}

/**
 * A disk: a copy-on-write system disk over a base image, a blank data disk, or an existing volume that
 * is only attached. Retained by default, because it holds the guest's data.
 */
export class Volume extends Construct {
  /** A qcow2 overlay of `image` with its own capacity (at least the image's size). */
  public static fromBaseImage(scope: Construct, id: string, options: OverlayVolumeOptions): Volume {
    return new Volume(scope, id, { ...options, pool: options.pool ?? options.image.pool, format: VolumeFormat.QCOW2 });
  }

  /**
   * A volume that exists in a pool already (made by hand or by virt-install), attached by name and never
   * managed: no resource is declared, so Terraform neither creates nor deletes it. For the disks of a VM
   * adopted with `importUuid`; dmacvicar/libvirt 0.9.7 cannot import a volume (see import-existing.ts).
   */
  public static existing(scope: Construct, id: string, options: ExistingVolumeOptions): Volume {
    const name = options.path.slice(options.path.lastIndexOf("/") + 1);
    return new Volume(scope, id, { ...options, name, format: options.format ?? VolumeFormat.QCOW2, existingPath: options.path });
  }

  /** An empty disk, for data that should outlive the system disk. */
  public static blank(scope: Construct, id: string, options: BlankVolumeOptions): Volume {
    return new Volume(scope, id, { ...options, format: options.format ?? VolumeFormat.QCOW2 });
  }

  /** None for an existing volume: its capacity is libvirt's to know. */
  public readonly size?: Size;
  public readonly format: VolumeFormat;
  public readonly pool: IStoragePool;
  public readonly removalPolicy: RemovalPolicy;
  /** The volume's name in its pool (a Terraform reference; the name itself for an existing volume). */
  public readonly volumeName: string;
  /** The volume's name as written in the configuration, for duplicate checks. */
  public readonly declaredName: string;
  /** The volume's path on the host (a Terraform reference; the given path for an existing volume), e.g. for outputs. */
  public readonly path: string;
  /** The volume's id in Terraform (its key: the path), for references and imports. */
  public readonly id: string;
  /**
   * The underlying `libvirt_volume` resource, for provider fields the props do not cover: set them with
   * `addOverride("<field>", value)` (the provider's schema, in snake_case). Anything set this way is
   * yours to keep valid. None for an existing volume.
   */
  public readonly resource?: TerraformResource;

  private constructor(scope: Construct, id: string, props: VolumeProps) {
    super(scope, id);
    this.size = props.size;
    this.format = props.format;
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.pool = props.pool ?? StoragePool.fromName(this, "DefaultPool");
    this.declaredName = props.name ?? `${defaultName(this, 120)}.${props.format}`;

    const problems = new Problems();
    if (this.size?.bytes === 0) problems.add("size", "must be greater than zero");
    if (props.existingPath !== undefined && !props.existingPath.startsWith("/")) problems.add("path", `"${props.existingPath}" must be an absolute path`);
    const image = props.image && hostUseProblem(this, props.image, BaseImage, "images");
    if (image) problems.add("image", image);
    const pool = props.pool instanceof StoragePool && hostUseProblem(this, props.pool, StoragePool, "pools");
    if (pool) problems.add("pool", pool);
    const imageSize = props.image?.virtualSize;
    if (imageSize && this.size && this.size.bytes > 0 && this.size.bytes < imageSize.bytes) {
      problems.add("size", `${this.size} is smaller than its base image (${imageSize})`);
    }
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(this.declaredName)) {
      problems.add("name", `"${this.declaredName}" must be a file name of letters, digits, ".", "_" and "-"`);
    }
    const taken = LibvirtHost.of(this)._claimVolume(this, this.pool.poolName, this.declaredName);
    if (taken) problems.add("name", taken);
    problems.throwIfAny(this);

    if (props.existingPath !== undefined) {
      this.volumeName = this.declaredName;
      this.path = this.id = props.existingPath;
      return;
    }
    // every volume but an existing one is given a size (fromBaseImage, blank)
    const { value, unit } = this.size!.largestWholeUnit();
    const resource = new VolumeResource(this, "Resource", {
      provider: LibvirtHost.of(this)._provider,
      name: this.declaredName,
      pool: this.pool.poolName,
      capacity: value,
      capacityUnit: unit,
      target: { format: { type: props.format } },
      backingStore: props.image && { path: props.image.path, format: { type: props.image.format } },
      lifecycle: {
        preventDestroy: this.removalPolicy === RemovalPolicy.RETAIN,
        // 0.9.7 cannot resize a volume (the apply fails "Update Not Supported"): grow it with
        // `virsh vol-resize` and the guest's tools; the new size in the config then only documents it.
        // Nor can a disk change its base image: its blocks are relative to the old one. A VM moved to a
        // new image keeps its disk until that disk is replaced on purpose.
        ignoreChanges: props.image ? ["capacity", "capacity_unit", "backing_store"] : ["capacity", "capacity_unit"],
      },
    });
    nameElement(resource, this);
    this.volumeName = resource.name;
    // references the constructs make for themselves and for users: no creation stack traces
    this.path = untraced(() => resource.path);
    this.id = untraced(() => resource.id);
    this.resource = resource;
  }
}

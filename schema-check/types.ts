/**
 * Shapes of `terraform providers schema -json` (format_version 1.x), limited to
 * what the checker reads, plus the checker's own result types.
 */

/** cty type in JSON form: "string", ["list", T], ["object", {...}, optionalNames?], ... */
export type CtyType =
  | "string"
  | "number"
  | "bool"
  | "dynamic"
  | readonly ["list" | "set" | "map", CtyType]
  | readonly ["object", Readonly<Record<string, CtyType>>]
  | readonly ["object", Readonly<Record<string, CtyType>>, readonly string[]]
  | readonly ["tuple", readonly CtyType[]];

export type NestingMode = "single" | "group" | "list" | "set" | "map";

export interface SchemaAttribute {
  readonly type?: CtyType;
  readonly nested_type?: NestedType;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly description?: string;
}

/** Protocol-6 nested attribute. Terraform omits `attributes` when it is empty. */
export interface NestedType {
  readonly nesting_mode: NestingMode;
  readonly attributes?: Readonly<Record<string, SchemaAttribute>>;
  readonly min_items?: number;
  readonly max_items?: number;
}

export interface SchemaBlock {
  readonly attributes?: Readonly<Record<string, SchemaAttribute>>;
  readonly block_types?: Readonly<Record<string, BlockType>>;
  readonly description?: string;
}

export interface BlockType {
  readonly nesting_mode: NestingMode;
  readonly block: SchemaBlock;
  readonly min_items?: number;
  readonly max_items?: number;
}

export interface SchemaIssue {
  /** Dotted path into cdk.tf.json, e.g. `resource.libvirt_domain.vm.os.boot_devices[0]`. */
  readonly path: string;
  /** Complete human-readable line, starting with the path: `<path>: expected object, got string`. */
  readonly message: string;
}

export interface CheckOptions {
  /**
   * Also flag values Terraform accepts only through implicit conversion: a bool or number
   * given for a string (`loader_readonly: true` becomes "true", which libvirt rejects),
   * a string given for a number or bool. Off by default, mirroring Terraform.
   */
  readonly strictTypes?: boolean;
}

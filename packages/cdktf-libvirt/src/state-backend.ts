import { LocalBackend, PgBackend, type PgBackendConfig, S3Backend, TerraformStack } from "cdktf";
import { Problems } from "./errors";

export interface PgStateOptions {
  /** The PostgreSQL schema that holds the state (one per stack). @default "terraform_remote_state" */
  readonly schemaName?: string;
}

export interface S3StateOptions {
  readonly bucket: string;
  /** The object holding the state, e.g. "hypervisors/web.tfstate". */
  readonly key: string;
  /** @default "us-east-1" (S3-compatible stores ignore it, the AWS SDK insists on one) */
  readonly region?: string;
  /** An S3-compatible store's URL (MinIO, Garage, Ceph RGW): path-style requests, no AWS account checks. @default - AWS S3 */
  readonly endpoint?: string;
}

const PG_SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const S3_KEY = /^[^/\s][^\s]*$/;
const HTTP_URL = /^https?:\/\/[^\s/]+(\/\S*)?$/;

/**
 * Where the stack's Terraform state lives. Credentials are never part of it: terraform reads them from
 * its environment at apply time (PG_CONN_STR; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), which deploy
 * fills from credentials (`--secret PG_CONN_STR=<credential>`) and the NixOS module from files.
 */
export class StateBackend {
  /** `terraform.tfstate` in the directory terraform runs in (deploy: below --state-dir), with local backups. */
  public static local(): StateBackend {
    return new StateBackend("local", {});
  }

  /**
   * PostgreSQL, through Terraform's pg backend: the state in a table, applies serialized by an advisory
   * lock, so several machines or people can deploy one stack. deploy's backups are pulled copies.
   */
  public static pg(options: PgStateOptions = {}): StateBackend {
    return new StateBackend("pg", options);
  }

  /**
   * S3 or an S3-compatible store, locked by a lock object beside the state (`use_lockfile`:
   * OpenTofu and Terraform 1.10 on).
   */
  public static s3(options: S3StateOptions): StateBackend {
    return new StateBackend("s3", options);
  }

  private constructor(
    public readonly type: "local" | "pg" | "s3",
    private readonly options: PgStateOptions | Partial<S3StateOptions>,
  ) {}

  /** Declares the backend on `stack`, or throws what is wrong with its options. @internal */
  public _attach(stack: TerraformStack): void {
    const problems = new Problems();
    if (this.type === "local") {
      new LocalBackend(stack, { path: "terraform.tfstate" });
      return;
    }
    if (this.type === "pg") {
      const { schemaName } = this.options as PgStateOptions;
      if (schemaName !== undefined && !PG_SCHEMA.test(schemaName)) {
        problems.add("backend.schemaName", `"${schemaName}" must be a lower-case PostgreSQL identifier (letters, digits, _; at most 63)`);
      }
      problems.throwIfAny(stack);
      // no conn_str: terraform takes PG_CONN_STR from its environment, so no password is ever in the JSON
      new PgBackend(stack, { schemaName } as PgBackendConfig);
      return;
    }
    const { bucket = "", key = "", region, endpoint } = this.options as Partial<S3StateOptions>;
    if (!S3_BUCKET.test(bucket)) problems.add("backend.bucket", `"${bucket}" is not an S3 bucket name (3-63 lower-case letters, digits, ".", "-")`);
    if (!S3_KEY.test(key)) problems.add("backend.key", `"${key}" must be an object key without whitespace, not starting with /`);
    if (endpoint !== undefined && !HTTP_URL.test(endpoint)) problems.add("backend.endpoint", `"${endpoint}" is not an http(s) URL`);
    problems.throwIfAny(stack);
    new S3Backend(stack, {
      bucket,
      key,
      region: region ?? "us-east-1",
      ...(endpoint !== undefined && {
        endpoints: { s3: endpoint },
        usePathStyle: true,
        skipCredentialsValidation: true,
        skipRegionValidation: true,
        skipRequestingAccountId: true,
      }),
    });
    // not among cdktf 0.21's S3 backend settings
    stack.addOverride("terraform.backend.s3.use_lockfile", true);
  }
}

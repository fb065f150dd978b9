// The stack's state backend: the exact terraform.backend JSON, no credential in it, bad settings with
// exact messages, through TypeScript and the spec.
import { Testing } from "cdktf";
import { LibvirtStack, StateBackend } from "cdktf-libvirt";
import { buildStacks, parseSpec } from "../../stack-spec";
import { testvmSpec } from "../helpers/spec";

const backendOf = (backend?: StateBackend) => JSON.parse(Testing.synth(new LibvirtStack(Testing.app(), "s", { backend }))).terraform.backend;

describe("StateBackend", () => {
  test("local by default: terraform.tfstate where terraform runs", () => {
    expect(backendOf()).toEqual({ local: { path: "terraform.tfstate" } });
    expect(backendOf(StateBackend.local())).toEqual({ local: { path: "terraform.tfstate" } });
  });

  test("pg: a schema and no connection string (terraform reads PG_CONN_STR)", () => {
    expect(backendOf(StateBackend.pg())).toEqual({ pg: {} });
    expect(backendOf(StateBackend.pg({ schemaName: "hv1" }))).toEqual({ pg: { schema_name: "hv1" } });
  });

  test("s3 on AWS, and on an S3-compatible store: path-style, no account checks, a lock file", () => {
    expect(backendOf(StateBackend.s3({ bucket: "tf-state", key: "hv/web.tfstate" }))).toEqual({
      s3: { bucket: "tf-state", key: "hv/web.tfstate", region: "us-east-1", use_lockfile: true },
    });
    expect(backendOf(StateBackend.s3({ bucket: "tf-state", key: "web.tfstate", region: "garage", endpoint: "http://10.0.0.5:3900" }))).toEqual({
      s3: {
        bucket: "tf-state",
        key: "web.tfstate",
        region: "garage",
        endpoints: { s3: "http://10.0.0.5:3900" },
        use_path_style: true,
        skip_credentials_validation: true,
        skip_region_validation: true,
        skip_requesting_account_id: true,
        use_lockfile: true,
      },
    });
  });

  test.each<[() => StateBackend, string]>([
    [() => StateBackend.pg({ schemaName: "Team-State" }), '[s] backend.schemaName: "Team-State" must be a lower-case PostgreSQL identifier (letters, digits, _; at most 63)'],
    [() => StateBackend.pg({ schemaName: "x".repeat(64) }), `[s] backend.schemaName: "${"x".repeat(64)}" must be a lower-case PostgreSQL identifier (letters, digits, _; at most 63)`],
    [() => StateBackend.s3({ bucket: "TF_State", key: "k" }), '[s] backend.bucket: "TF_State" is not an S3 bucket name (3-63 lower-case letters, digits, ".", "-")'],
    [() => StateBackend.s3({ bucket: "tf", key: "k" }), '[s] backend.bucket: "tf" is not an S3 bucket name (3-63 lower-case letters, digits, ".", "-")'],
    [() => StateBackend.s3({ bucket: "tf-state", key: "/abs" }), '[s] backend.key: "/abs" must be an object key without whitespace, not starting with /'],
    [() => StateBackend.s3({ bucket: "tf-state", key: "my state" }), '[s] backend.key: "my state" must be an object key without whitespace, not starting with /'],
    [() => StateBackend.s3({ bucket: "tf-state", key: "k", endpoint: "minio:9000" }), '[s] backend.endpoint: "minio:9000" is not an http(s) URL'],
  ])("refused: %s", (make, message) => {
    expect(() => new LibvirtStack(Testing.app(), "s", { backend: make() })).toThrow(message);
  });

  describe("through the spec", () => {
    const withBackend = (backend: object) => {
      const spec = testvmSpec();
      spec.stacks.testvm.backend = backend;
      return spec;
    };
    const synthesized = (backend: object) => JSON.parse(Testing.synth(buildStacks(Testing.app(), parseSpec(withBackend(backend)))[0])).terraform.backend;

    test("pg and s3 as in TypeScript", () => {
      expect(synthesized({ type: "pg", schemaName: "hv1" })).toEqual({ pg: { schema_name: "hv1" } });
      expect(synthesized({ type: "s3", bucket: "tf-state", key: "web.tfstate" })).toEqual({ s3: { bucket: "tf-state", key: "web.tfstate", region: "us-east-1", use_lockfile: true } });
      expect(synthesized({ type: "local" })).toEqual({ local: { path: "terraform.tfstate" } });
    });

    test.each([
      [{ type: "pg", connStr: "postgres://u:p@db/x" }, "spec spec: stacks.testvm.backend.connStr: unknown key"],
      [{ type: "s3", bucket: "tf-state" }, "spec spec: stacks.testvm.backend.key"],
      [{ type: "consul" }, "spec spec: stacks.testvm.backend.type"],
    ])("refused: %j", (backend, message) => {
      expect(() => parseSpec(withBackend(backend))).toThrow(message);
    });
  });
});

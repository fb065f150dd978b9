import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../scripts/validate";

const REQUIRED_PROVIDERS = { terraform: { required_providers: { libvirt: { source: "dmacvicar/libvirt" } } } };
const CLEAN = { ...REQUIRED_PROVIDERS, resource: { libvirt_pool: { p: { name: "p", type: "dir" } } } };
const BROKEN = { ...REQUIRED_PROVIDERS, resource: { libvirt_pool: { p: { name: "p", type: "dir", uuid: "x" } } } };

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "validate-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeStack(name: string, content: unknown): string {
  const file = path.join(dir, "cdktf.out", "stacks", name, "cdk.tf.json");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

function run(...argv: string[]): { code: number; log: string[]; error: string[] } {
  const log: string[] = [];
  const error: string[] = [];
  const code = main(argv, { log: (l) => log.push(l), error: (l) => error.push(l) }, dir, dir);
  return { code, log, error };
}

describe("npm run validate", () => {
  it("exits 2 and asks for a synth when there is no output", () => {
    expect(run()).toEqual({
      code: 2,
      log: [],
      error: ["validate: no synthesized stacks in cdktf.out/stacks; run `npm run synth` first"],
    });
  });

  it("checks every cdktf.out/stacks/*/cdk.tf.json by default and exits 0 when clean", () => {
    writeStack("a", CLEAN);
    writeStack("b", CLEAN);
    expect(run()).toEqual({
      code: 0,
      log: ["cdktf.out/stacks/a/cdk.tf.json: ok", "cdktf.out/stacks/b/cdk.tf.json: ok", "validate: 2 stack(s), 0 schema errors"],
      error: [],
    });
  });

  it("prints each issue and exits 1", () => {
    writeStack("a", BROKEN);
    writeStack("b", "{not json");
    const result = run();
    expect(result.code).toBe(1);
    expect(result.log[0]).toBe("cdktf.out/stacks/a/cdk.tf.json: 1 issue(s)");
    expect(result.log[1]).toBe("  resource.libvirt_pool.p.uuid: computed-only attribute cannot be set; the provider assigns its value");
    expect(result.log[2]).toBe("cdktf.out/stacks/b/cdk.tf.json: 1 issue(s)");
    expect(result.log[3]).toMatch(/^ {2}\(file\): cannot read JSON: /);
    expect(result.log[4]).toBe("validate: 2 stack(s), 2 schema errors");
  });

  it("takes directories and files as arguments", () => {
    const file = writeStack("a", CLEAN);
    const other = path.join(dir, "other.json");
    fs.writeFileSync(other, JSON.stringify(BROKEN));
    expect(run("cdktf.out/stacks").log).toEqual(["cdktf.out/stacks/a/cdk.tf.json: ok", "validate: 1 stack(s), 0 schema errors"]);
    expect(run(file, "other.json").log.slice(-1)).toEqual(["validate: 2 stack(s), 1 schema error"]);
  });

  it("exits 2 on missing paths, empty directories and unknown options", () => {
    expect(run("nope").error).toEqual(["validate: nope: no such file or directory"]);
    fs.mkdirSync(path.join(dir, "empty"));
    expect(run("empty")).toMatchObject({ code: 2, error: ["validate: no cdk.tf.json under empty; run `npm run synth` first"] });
    expect(run("--fast")).toMatchObject({ code: 2 });
    expect(run("--schema")).toMatchObject({ code: 2 });
  });

  it("--strict flags implicit conversions; --schema adds another provider's schema", () => {
    writeStack("a", { ...REQUIRED_PROVIDERS, provider: { libvirt: { uri: 1 } }, resource: { test_thing: { t: { size: "big" } } } });
    expect(run().code).toBe(0);
    expect(run("--strict").log).toContain(
      `  provider.libvirt.uri: expected string, got number (Terraform would convert it to "1"; strictTypes)`
    );
    const schema = path.join(dir, "test.json");
    const block = { attributes: { size: { type: "number", optional: true } } };
    fs.writeFileSync(
      schema,
      JSON.stringify({
        format_version: "1.0",
        provider_schemas: { "registry.terraform.io/hashicorp/test": { resource_schemas: { test_thing: { version: 0, block } } } },
      })
    );
    expect(run("--schema", "test.json").log).toContain(`  resource.test_thing.t.size: expected number, got string "big"`);
  });
});

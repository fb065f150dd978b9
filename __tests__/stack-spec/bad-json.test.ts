import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { loadSpec } from "../../stack-spec";

const root = resolve(__dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "bad-json-"));
const testvm = readFileSync(join(root, "app/default.spec.json"));

/** Writes `bytes` as a spec file and returns what loading it throws. */
function loadError(bytes: string | Buffer): string {
  const file = join(dir, "spec.json");
  writeFileSync(file, bytes);
  try {
    loadSpec(file);
  } catch (err) {
    return (err as Error).message.split(file).join("F");
  }
  throw new Error("expected the spec to be refused");
}

const host = (inner: string) => `{"stacks": {"lab": {"hosts": {"local": {\n${inner}\n}}}}}`;

describe("JSON that would silently lose content is refused, naming the key's spec path", () => {
  test.each([
    [
      "a VM key twice",
      host(`"images": {"d": {"source": "/i.qcow2"}},\n"vms": {\n"web": {"image": "d", "memory": "8192 MiB"},\n"web": {"image": "d"}}`),
      "spec F: stacks.lab.hosts.local.vms.web: duplicate key (first at line 4, again at line 5)",
    ],
    [
      "a stack key twice",
      '{"stacks": {\n"lab": {"hosts": {}},\n"lab": {"hosts": {}}}}',
      "spec F: stacks.lab: duplicate key (first at line 2, again at line 3)",
    ],
    [
      "a field twice",
      host(`"vms": {"web": {"image": "d",\n"memory": "8192 MiB",\n"memory": "1024 MiB"}}`),
      "spec F: stacks.lab.hosts.local.vms.web.memory: duplicate key (first at line 3, again at line 4)",
    ],
    [
      "a key twice inside an array element",
      host(`"vms": {"web": {"image": "d", "interfaces": [{"network": "a",\n"network": "b"}]}}`),
      "spec F: stacks.lab.hosts.local.vms.web.interfaces[0].network: duplicate key (first at line 2, again at line 3)",
    ],
    [
      "two keys twice: both reported",
      '{"stacks": {},\n"stacks": {},\n"$schema": "a",\n"$schema": "b"}',
      ["spec F: stacks: duplicate key (first at line 1, again at line 2)", "spec F: $schema: duplicate key (first at line 3, again at line 4)"].join("\n"),
    ],
    ["the top-level key twice", '{"stacks": {}, "stacks": {}}', "spec F: stacks: duplicate key (first at line 1, again at line 1)"],
  ])("%s", (_what, text, message) => {
    expect(loadError(text)).toBe(message);
  });

  test("keys that differ only in escapes are one key", () => {
    expect(loadError('{"stacks": {"lab": {"hosts": {}}, "l\\u0061b": {"hosts": {}}}}')).toBe("spec F: stacks.lab: duplicate key (first at line 1, again at line 1)");
  });

  test("invalid UTF-8 is refused with its place, not read as U+FFFD", () => {
    const bytes = Buffer.concat([Buffer.from('{"stacks": {\n"l'), Buffer.from([0xc3, 0x28]), Buffer.from('b": {"hosts": {}}}}')]);
    expect(loadError(bytes)).toBe("spec F: not UTF-8: invalid byte sequence at line 2, column 3");
  });

  test("a truncated multi-byte character is invalid UTF-8", () => {
    expect(loadError(Buffer.concat([Buffer.from('{"$schema": "'), Buffer.from([0xe2, 0x82]), Buffer.from('"}')]))).toBe(
      "spec F: not UTF-8: invalid byte sequence at line 1, column 14",
    );
  });

  test("a U+FFFD written in the file is content, and accepted", () => {
    expect(() => loadError('{"stacks": {}, "$schema": "\uFFFD"}')).toThrow("expected the spec to be refused");
  });

  test("a UTF-8 byte order mark is accepted and skipped", () => {
    const file = join(dir, "bom.json");
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), testvm]));
    expect(Object.keys(loadSpec(file).stacks)).toEqual(["testvm"]);
  });

  test("a byte order mark anywhere else is not whitespace", () => {
    expect(loadError('{"stacks": \uFEFF{}}')).toMatch(/^spec F: not valid JSON: /);
  });

  test("an empty file is not JSON", () => {
    expect(loadError("")).toMatch(/^spec F: not valid JSON: /);
  });

  test("a __proto__ key is data, not a prototype", () => {
    expect(loadError('{"stacks": {}, "__proto__": {"x": 1}}')).toBe("spec F: __proto__: unknown key");
  });
});

/** Runs main.ts with `env` on top of the environment; stderr is a pipe. */
function runMain(env: NodeJS.ProcessEnv): { status: number | null; stderr: string; wrote: boolean } {
  const out = mkdtempSync(join(tmpdir(), "main-"));
  const outdir = join(out, "cdktf.out");
  const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", join(root, "main.ts")], {
    cwd: root,
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1", ...env },
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  return { status: run.status, stderr: run.stderr, wrote: existsSync(outdir) };
}

describe("main.ts", () => {
  test("CDKTF_LIBVIRT_SPEC set but empty is refused, not read as the default stack", () => {
    expect(runMain({ CDKTF_LIBVIRT_SPEC: "" })).toEqual({
      status: 1,
      stderr: "CDKTF_LIBVIRT_SPEC is set but empty: name a spec file, or unset it to synthesize the default stack\n",
      wrote: false,
    });
  });

  test("an error longer than a pipe's buffer reaches stderr whole", () => {
    const vms = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`vm${i}`, { image: "d", cpus: 1 }]));
    const file = join(dir, "long.json");
    writeFileSync(file, JSON.stringify({ stacks: { lab: { hosts: { local: { vms } } } } }));
    const result = runMain({ CDKTF_LIBVIRT_SPEC: file });
    const lines = result.stderr.trimEnd().split("\n");
    expect(result.stderr.length).toBeGreaterThan(128 * 1024);
    expect([result.status, lines.length, lines[2999]]).toEqual([1, 3000, `spec ${file}: stacks.lab.hosts.local.vms.vm2999.cpus: unknown key`]);
  });
});

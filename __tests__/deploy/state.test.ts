// State-dir layout, backups, stack discovery and backend detection, on real files.
import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "../../deploy/errors";
import {
  backupStateFile,
  copyStackInputs,
  layout,
  locateStack,
  readAddressList,
  readBackend,
  saveBackup,
  timestamp,
} from "../../deploy/state";
import { cleanup, tmpDir } from "./helpers";

afterAll(cleanup);

describe("backups", () => {
  test("timestamps sort chronologically and are file-name safe", () => {
    expect(timestamp(new Date("2025-01-02T03:04:05.678Z"))).toBe("20250102T030405.678Z");
  });

  test("a backup copies the state; same-millisecond backups do not overwrite; only `keep` remain", () => {
    const l = layout(tmpDir(), "s");
    fs.mkdirSync(l.workDir);
    expect(backupStateFile(l, 3, new Date())).toBeUndefined(); // no state yet
    const t0 = Date.parse("2025-01-01T00:00:00Z");
    for (let i = 0; i < 5; i++) {
      fs.writeFileSync(l.stateFile, `state ${i}`);
      backupStateFile(l, 3, new Date(t0 + (i < 2 ? 0 : i) * 1000));
    }
    const files = fs.readdirSync(l.backupsDir).sort();
    expect(files).toEqual(["terraform.tfstate.20250101T000002.000Z", "terraform.tfstate.20250101T000003.000Z", "terraform.tfstate.20250101T000004.000Z"]);
    expect(fs.readFileSync(path.join(l.backupsDir, files[2]), "utf8")).toBe("state 4");
    expect(fs.statSync(l.backupsDir).mode & 0o777).toBe(0o700);
  });

  test("same-millisecond collisions get a suffix", () => {
    const dir = tmpDir();
    const now = new Date("2025-01-01T00:00:00Z");
    const a = saveBackup(dir, "x", (d) => fs.writeFileSync(d, "1"), 5, now);
    const b = saveBackup(dir, "x", (d) => fs.writeFileSync(d, "2"), 5, now);
    expect(path.basename(b)).toBe(`${path.basename(a)}-1`);
  });
});

describe("stack discovery and inputs", () => {
  const synth = tmpDir();
  const mk = (name: string) => {
    fs.mkdirSync(path.join(synth, "stacks", name, "assets", "cfg"), { recursive: true });
    fs.writeFileSync(path.join(synth, "stacks", name, "cdk.tf.json"), "{}");
    fs.writeFileSync(path.join(synth, "stacks", name, "assets", "cfg", "user-data"), name);
    fs.writeFileSync(path.join(synth, "stacks", name, "manifest-noise.txt"), "not needed");
  };

  test("the only stack is picked; several need --stack", () => {
    mk("one");
    expect(locateStack(synth, undefined).stack).toBe("one");
    mk("two");
    expect(() => locateStack(synth, undefined)).toThrow("several stacks under");
    expect(locateStack(synth, "two").dir).toBe(path.join(synth, "stacks", "two"));
    expect(() => locateStack(synth, "three")).toThrow("stacks present: one, two");
    expect(() => locateStack(tmpDir(), undefined)).toThrow(UsageError);
  });

  test("only cdk.tf.json and assets/ are copied; stale assets are dropped", () => {
    const work = tmpDir();
    fs.mkdirSync(path.join(work, "assets", "old"), { recursive: true });
    copyStackInputs(path.join(synth, "stacks", "one"), work);
    expect(fs.readdirSync(work).sort()).toEqual(["assets", "cdk.tf.json"]);
    expect(fs.readdirSync(path.join(work, "assets"))).toEqual(["cfg"]);
  });

  test("backend detection", () => {
    expect(readBackend("{}")).toEqual({ kind: "none" });
    expect(readBackend('{"terraform":{"backend":{"local":{"path":"/x"}}}}')).toEqual({ kind: "local" });
    expect(readBackend('{"terraform":{"backend":{"s3":{}}}}')).toEqual({ kind: "remote", type: "s3" });
    expect(readBackend('{"terraform":{"cloud":{}}}')).toEqual({ kind: "remote", type: "cloud" });
  });

  test("allow-destroy files: comments and blank lines ignored, # inside a key kept", () => {
    const f = path.join(tmpDir(), "allow");
    fs.writeFileSync(f, '# header\nlibvirt_volume.a\n\n  libvirt_volume.b["x#1"]  # why\n');
    expect(readAddressList(f)).toEqual(["libvirt_volume.a", 'libvirt_volume.b["x#1"]']);
    expect(() => readAddressList(f + ".missing")).toThrow(UsageError);
  });
});

// Gives the whole jest run a temporary directory of its own (TMPDIR, which the workers and every tool they
// start inherit) and removes it at the end: cdktf's Testing helpers make an output directory per synth and
// never delete it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const KEY = "CDKTF_LIBVIRT_TEST_TMPDIR";

export function setup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-libvirt-jest-"));
  process.env[KEY] = dir;
  process.env.TMPDIR = dir;
}

export function teardown(): void {
  const dir = process.env[KEY];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

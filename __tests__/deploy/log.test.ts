import * as fs from "node:fs";
import * as path from "node:path";
import { Writable } from "node:stream";
import { createLogger, isJournalStream } from "../../deploy/log";
import { cleanup, tmpDir } from "./helpers";

afterAll(cleanup);

function collect() {
  let text = "";
  const stream = new Writable({ write: (chunk, _enc, cb) => ((text += chunk.toString()), cb()) });
  return { out: { stdout: stream, stderr: stream }, text: () => text };
}

test("into the journal each line carries its syslog priority, so journalctl -p err finds the failure", () => {
  const sink = collect();
  const log = createLogger(sink.out, { journal: true });
  log.info("plan: 1 to update");
  log.warn("no address yet");
  log.error("error: refusing to apply\n  libvirt_volume.x");
  expect(sink.text()).toBe("<6>[deploy] plan: 1 to update\n<4>[deploy] warning: no address yet\n<3>[deploy] error: refusing to apply\n<3>[deploy]   libvirt_volume.x\n");
});

test("elsewhere the lines are plain", () => {
  const sink = collect();
  createLogger(sink.out).error("error: x");
  expect(sink.text()).toBe("[deploy] error: x\n");
});

test("the journal is recognised by $JOURNAL_STREAM naming the descriptor's device and inode", () => {
  const fd = fs.openSync(path.join(tmpDir(), "stream"), "w");
  try {
    const { dev, ino } = fs.fstatSync(fd);
    expect(isJournalStream({ JOURNAL_STREAM: `${dev}:${ino}` }, fd)).toBe(true);
    expect(isJournalStream({ JOURNAL_STREAM: `${dev}:${ino + 1}` }, fd)).toBe(false);
    expect(isJournalStream({}, fd)).toBe(false);
  } finally {
    fs.closeSync(fd);
  }
});

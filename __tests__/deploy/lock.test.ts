// The deploy lock, on real files and real (dead and live) processes.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { InterruptedError, LockTimeoutError } from "../../deploy/errors";
import { acquireDeployLock } from "../../deploy/lock";
import { cleanup, memoryLogger, tmpDir } from "./helpers";

afterAll(cleanup);

describe("deploy lock", () => {
  test("a second holder waits, then times out with LockTimeoutError", async () => {
    const file = path.join(tmpDir(), "deploy.lock");
    const { log, lines } = memoryLogger();
    const held = await acquireDeployLock(file, 0, log);
    await expect(acquireDeployLock(file, 300, log)).rejects.toThrow(LockTimeoutError);
    expect(lines.join("")).toContain(`waiting for the deploy lock held by pid ${process.pid}`);
    held.release();
    const again = await acquireDeployLock(file, 0, log);
    again.release();
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);
  });

  test("a lock left by a dead process is taken over", async () => {
    const file = path.join(tmpDir(), "deploy.lock");
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    fs.writeFileSync(file, JSON.stringify({ pid: Number(dead), host: os.hostname(), nonce: "x", since: "then" }));
    const { log, lines } = memoryLogger();
    const lock = await acquireDeployLock(file, 0, log);
    expect(lines.join("")).toContain(`removing stale deploy lock ${file} (owner pid ${dead} is gone)`);
    lock.release();
  });

  test("a live process whose start time differs (pid reuse) does not hold the lock", async () => {
    const file = path.join(tmpDir(), "deploy.lock");
    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, host: os.hostname(), start: "1", nonce: "x", since: "then" }));
    (await acquireDeployLock(file, 0, memoryLogger().log)).release();
  });

  test("a lock whose owner is gone but whose tool still runs is held until the tool exits", async () => {
    const file = path.join(tmpDir(), "deploy.lock");
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    const tool = spawn("sleep", ["0.6"]);
    fs.writeFileSync(file, JSON.stringify({ pid: Number(dead), host: os.hostname(), nonce: "x", since: "then", child: { pid: tool.pid } }));
    const { log, lines } = memoryLogger();
    await expect(acquireDeployLock(file, 100, log)).rejects.toThrow(`the tool that deploy pid ${dead} (gone) left running (supervisor pid ${tool.pid})`);
    const started = Date.now();
    const lock = await acquireDeployLock(file, 5000, log);
    expect(Date.now() - started).toBeGreaterThan(200);
    expect(lines.join("\n")).toContain(`removing stale deploy lock ${file} (owner pid ${dead} is gone)`);
    lock.recordChild(process.pid);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).child.pid).toBe(process.pid);
    lock.release();
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);
  });

  test("a signal while waiting stops the wait (checkStop throws)", async () => {
    const file = path.join(tmpDir(), "deploy.lock");
    const held = await acquireDeployLock(file, 0, memoryLogger().log);
    let polls = 0;
    const stop = () => {
      if (++polls === 2) throw new InterruptedError("SIGTERM");
    };
    await expect(acquireDeployLock(file, 60_000, memoryLogger().log, stop)).rejects.toThrow(InterruptedError);
    held.release();
  });
});

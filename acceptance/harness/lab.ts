// The lab the acceptance suite applies stacks to: a libvirtd of its own, started inside a network
// namespace the suite creates, with a bridge br0 and a dnsmasq serving DHCP on it, so that guests and
// their traffic never leave the namespace. libvirt's sockets are files, so virsh, tofu and the provider
// outside the namespace reach the daemon at qemu:///system as usual. The daemon sees a configuration
// directory of the lab's own over /etc/libvirt (the host's settings, none of its domains, networks,
// pools or secrets), so nothing the lab defines outlives it and nothing a killed run left is seen.
// Everything started is recorded in a file (CDKTF_LIBVIRT_LAB) and stopped by PID; a lab whose runner
// died is removed by the next one.
import * as fs from "node:fs";
import * as path from "node:path";
import { attempt, run, sleep } from "./run";

export const LAB_ENV = "CDKTF_LIBVIRT_LAB";
export const URI = "qemu:///system";

export interface Lab {
  readonly netns: string;
  readonly bridge: string;
  /** br0's address in the namespace, and the LAN's gateway for static guests. */
  readonly gateway: string;
  readonly prefix: number;
  /** What dnsmasq hands out on br0. */
  readonly dhcpRange: { readonly start: string; readonly end: string };
  readonly runDir: string;
  /** The directory of the storage pool "default". */
  readonly poolDir: string;
  readonly pids: Record<string, number>;
  /** The runner's PID: a lab whose runner is gone is stale. */
  readonly owner: number;
  /** /dev/kvm's mode and group before the lab changed them. */
  readonly kvm?: { readonly mode: number; readonly gid: number };
  /** The host's count of reserved 2 MiB huge pages before the lab reserved its own. */
  hugePagesBefore?: number;
}

const DAEMONS = ["libvirtd", "virtqemud", "virtlogd", "virtlockd"];
const HOST_CONFIG = "/etc/libvirt";

function virsh(...args: string[]): string {
  return run("virsh", ["-q", "-c", URI, ...args]);
}

function names(kind: "list" | "net-list" | "pool-list"): string[] {
  return virsh(kind, "--all", "--name")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
}

function pidOf(file: string): number {
  return Number(fs.readFileSync(file, "utf8").trim());
}

/** A process that exists and is not a zombie (a sandbox's PID 1 may never reap daemons). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

function livingProcesses(command: string): number[] {
  return fs
    .readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim() === command && alive(pid);
      } catch {
        return false;
      }
    });
}

/** Why the lab cannot start on this machine, or undefined. */
export function labProblem(): string | undefined {
  if (process.getuid?.() !== 0) return "the lab needs root (network namespaces, libvirtd)";
  const running = DAEMONS.filter((d) => livingProcesses(d).length > 0);
  if (running.length > 0) return `${running.join(", ")} already running: the lab starts its own libvirtd and would share its state`;
  for (const tool of ["ip", "ping", "libvirtd", "virsh", "dnsmasq", "qemu-system-x86_64", "qemu-img", "genisoimage"]) {
    if (attempt("sh", ["-c", `command -v ${tool}`]).code !== 0) {
      return `${tool} is missing (Debian: libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils genisoimage dnsmasq-base iproute2 iputils-ping)`;
    }
  }
  return undefined;
}

export async function startLab(baseDir: string): Promise<Lab> {
  const problem = labProblem();
  if (problem) throw new Error(`cannot start the lab: ${problem}`);
  const runDir = fs.mkdtempSync(path.join(baseDir, "lab-"));
  fs.chmodSync(runDir, 0o755); // qemu runs as libvirt-qemu and opens the pool's files below it
  const poolDir = path.join(runDir, "pool");
  fs.mkdirSync(poolDir, { mode: 0o755 });
  const netns = `cdktf-libvirt-${process.pid}`;
  const lab: Lab = {
    netns,
    bridge: "br0",
    gateway: "192.168.150.1",
    prefix: 24,
    dhcpRange: { start: "192.168.150.100", end: "192.168.150.199" },
    runDir,
    poolDir,
    pids: {},
    owner: process.pid,
    kvm: kvmFix(),
  };
  const save = () => fs.writeFileSync(path.join(runDir, "lab.json"), JSON.stringify(lab, null, 2));
  save();
  process.env[LAB_ENV] = path.join(runDir, "lab.json");
  try {
    const inNs = (file: string, ...args: string[]) => run("ip", ["netns", "exec", netns, file, ...args]);
    run("ip", ["netns", "add", netns]);
    inNs("ip", "link", "set", "lo", "up");
    inNs("ip", "link", "add", lab.bridge, "type", "bridge");
    inNs("ip", "addr", "add", `${lab.gateway}/${lab.prefix}`, "dev", lab.bridge);
    inNs("ip", "link", "set", lab.bridge, "up");
    const pidFile = (name: string) => path.join(runDir, `${name}.pid`);
    inNs(
      "dnsmasq",
      "--conf-file=/dev/null",
      `--pid-file=${pidFile("dnsmasq")}`,
      `--interface=${lab.bridge}`,
      "--bind-interfaces",
      "--except-interface=lo",
      `--dhcp-range=${lab.dhcpRange.start},${lab.dhcpRange.end},1h`,
      `--dhcp-leasefile=${path.join(runDir, "dnsmasq.leases")}`,
      "--dhcp-authoritative",
      "--port=0",
    );
    lab.pids.dnsmasq = pidOf(pidFile("dnsmasq"));
    lab.hugePagesBefore = reserveHugePages(LAB_HUGE_PAGES);
    save();
    const hugePages = path.join(runDir, "hugepages");
    fs.mkdirSync(hugePages);
    const config = labConfigDir(runDir, hugePages);
    for (const daemon of ["virtlogd", "virtlockd", "libvirtd"]) {
      // `ip netns exec` gives each command a mount namespace of its own: the mounts are the daemon's alone
      // (and its QEMUs')
      const script = 'mount --bind "$1" /etc/libvirt && mount -t hugetlbfs -o pagesize=2M hugetlbfs "$2" && exec "$3" -d -p "$4"';
      inNs("sh", "-c", script, "sh", config, hugePages, daemon, pidFile(daemon));
      lab.pids[daemon] = await waitForPidFile(pidFile(daemon));
    }
    save();
    await waitForDaemon();
    virsh("pool-define-as", "default", "dir", "--target", poolDir);
    virsh("pool-start", "default");
    save();
    return lab;
  } catch (err) {
    stopLab(lab);
    throw err;
  }
}

/**
 * The host's libvirt settings (its *.conf files, hooks and network filters) without any object it
 * defines, and QEMU's huge pages from the lab's own hugetlbfs.
 */
function labConfigDir(runDir: string, hugePages: string): string {
  const dir = path.join(runDir, "etc-libvirt");
  fs.mkdirSync(dir, { mode: 0o755 });
  for (const entry of fs.readdirSync(HOST_CONFIG, { withFileTypes: true })) {
    const from = path.join(HOST_CONFIG, entry.name);
    if (entry.isFile()) fs.copyFileSync(from, path.join(dir, entry.name));
    else if (entry.isDirectory() && ["hooks", "nwfilter"].includes(entry.name)) fs.cpSync(from, path.join(dir, entry.name), { recursive: true });
  }
  fs.appendFileSync(path.join(dir, "qemu.conf"), `\nhugetlbfs_mount = "${hugePages}"\n`);
  return dir;
}

// enough for one LAB_VM (1024 MiB) backed by 2 MiB pages
const LAB_HUGE_PAGES = 520;
const NR_HUGEPAGES = "/proc/sys/vm/nr_hugepages";

/** Reserves at least `count` 2 MiB pages; returns the count before. */
function reserveHugePages(count: number): number {
  const before = Number(fs.readFileSync(NR_HUGEPAGES, "utf8"));
  if (before < count) fs.writeFileSync(NR_HUGEPAGES, String(count));
  return before;
}

/** Removes what a runner that died without stopping its lab left: its namespace, daemons and files. */
export function removeStaleLabs(baseDir: string): void {
  for (const entry of fs.readdirSync(baseDir).filter((name) => name.startsWith("lab-"))) {
    const file = path.join(baseDir, entry, "lab.json");
    if (!fs.existsSync(file)) continue;
    const lab = JSON.parse(fs.readFileSync(file, "utf8")) as Lab;
    if (!alive(lab.owner)) stopLab(lab);
  }
}

/**
 * Without access to /dev/kvm for group kvm (udev does this on a normal host), libvirt finds its QEMU
 * capabilities stale on every lookup and probes QEMU again: each define takes ~88 s instead of 0.04 s.
 */
function kvmFix(): Lab["kvm"] {
  if (!fs.existsSync("/dev/kvm")) return undefined;
  const st = fs.statSync("/dev/kvm");
  const kvmGid = Number(run("getent", ["group", "kvm"]).split(":")[2]);
  fs.chownSync("/dev/kvm", st.uid, kvmGid);
  fs.chmodSync("/dev/kvm", 0o660);
  return { mode: st.mode & 0o7777, gid: st.gid };
}

async function waitForPidFile(file: string): Promise<number> {
  for (let i = 0; i < 100; i++) {
    if (fs.existsSync(file)) {
      const pid = pidOf(file);
      if (pid > 0) return pid;
    }
    await sleep(100);
  }
  throw new Error(`${file} did not appear`);
}

async function waitForDaemon(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (attempt("virsh", ["-q", "-c", URI, "version"]).code === 0) return;
    await sleep(200);
  }
  throw new Error(`libvirtd does not answer at ${URI}`);
}

/** Removes every domain the lab's run made, and every volume of the lab's pool: a clean slate between measurements. */
export function resetLab(): void {
  for (const name of names("list")) {
    attempt("virsh", ["-c", URI, "destroy", name]);
    virsh("undefine", name, "--nvram");
  }
  for (const line of virsh("vol-list", "default").split("\n").filter(Boolean)) virsh("vol-delete", "--pool", "default", line.trim().split(/\s+/)[0]);
}

/** Removes what the lab made in libvirt, stops its daemons by PID and deletes its namespace and files. */
export function stopLab(lab: Lab): void {
  const problems: string[] = [];
  const tryTo = (what: string, fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      problems.push(`${what}: ${(err as Error).message}`);
    }
  };
  if (lab.pids.libvirtd && alive(lab.pids.libvirtd)) {
    tryTo("removing domains", () => {
      for (const name of names("list")) {
        attempt("virsh", ["-c", URI, "destroy", name]);
        virsh("undefine", name, "--nvram", "--managed-save", "--snapshots-metadata", "--checkpoints-metadata");
      }
    });
    tryTo("removing networks", () => {
      for (const name of names("net-list")) {
        attempt("virsh", ["-c", URI, "net-destroy", name]);
        virsh("net-undefine", name);
      }
    });
    tryTo("removing pools", () => {
      for (const name of names("pool-list")) {
        attempt("virsh", ["-c", URI, "pool-destroy", name]);
        virsh("pool-undefine", name);
      }
    });
  }
  for (const name of ["libvirtd", "virtlockd", "virtlogd", "dnsmasq"]) {
    const pid = lab.pids[name];
    if (pid && alive(pid)) tryTo(`stopping ${name}`, () => stopPid(pid));
  }
  tryTo("removing the namespace", () => {
    if (run("ip", ["netns", "list"]).split("\n").some((l) => l.split(" ")[0] === lab.netns)) run("ip", ["netns", "delete", lab.netns]);
  });
  if (lab.hugePagesBefore !== undefined) tryTo("releasing huge pages", () => fs.writeFileSync(NR_HUGEPAGES, String(lab.hugePagesBefore)));
  if (lab.kvm) tryTo("restoring /dev/kvm", () => {
    fs.chownSync("/dev/kvm", fs.statSync("/dev/kvm").uid, lab.kvm!.gid);
    fs.chmodSync("/dev/kvm", lab.kvm!.mode);
  });
  tryTo("removing the lab's files", () => fs.rmSync(lab.runDir, { recursive: true, force: true }));
  if (problems.length > 0) throw new Error(`the lab did not stop cleanly:\n${problems.join("\n")}`);
}

function stopPid(pid: number): void {
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) run("sleep", ["0.1"]);
  if (alive(pid)) process.kill(pid, "SIGKILL");
}

/** The lab the suite's runner started, for the scenarios. */
export function currentLab(): Lab {
  const file = process.env[LAB_ENV];
  if (!file) throw new Error(`${LAB_ENV} is not set: run the scenarios through npm run test:acceptance`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as Lab;
}

/** Runs a command inside the lab's namespace (e.g. ping a guest). */
export function inLab(lab: Lab, file: string, args: readonly string[]): { code: number | null; output: string } {
  return attempt("ip", ["netns", "exec", lab.netns, file, ...args]);
}

/** The addresses dnsmasq handed out on br0, by MAC. */
export function leases(lab: Lab): Map<string, string> {
  const file = path.join(lab.runDir, "dnsmasq.leases");
  if (!fs.existsSync(file)) return new Map();
  return new Map(
    fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split(" "))
      .map(([, mac, ip]) => [mac.toLowerCase(), ip] as [string, string]),
  );
}

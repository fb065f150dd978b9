// A remote libvirtd over SSH, the way the NixOS unit reaches one: the URI and the credential come from
// nix/unit.nix (uri, ssh = { user, identityFile, knownHostsFile }) evaluated by the real Nix; the key is
// where systemd's LoadCredential= puts it ($CREDENTIALS_DIRECTORY/ssh-identity, mode 0400), there is no
// home directory, and the provider expands $CREDENTIALS_DIRECTORY in the URI itself and talks to the
// remote's libvirt socket through the Go SSH library (direct-streamlocal). The "remote" is an sshd of the
// scenario's own on 127.0.0.1 in front of the lab's libvirtd: the base image is uploaded through it. A
// known_hosts file with another host key, or no credentials directory, fails before anything is made.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { Deployment, expectExit, labSpec } from "../harness/deploy";
import { currentLab } from "../harness/lab";
import { unitNix } from "../harness/nix";
import { run, sleep } from "../harness/run";
import { volumeCapacity, volumePath } from "../harness/virsh";

const SSHD = "/usr/sbin/sshd";
const VOLUME = "ssh-debian.qcow2";

interface SshUnit {
  readonly uri: string;
  readonly loadCredential: string[];
}

/** What the unit gets for a qemu+ssh:// URI with the module's ssh options. */
function sshUnit(uri: string, ssh: { user: string; identityFile: string; knownHostsFile: string }): SshUnit {
  const q = JSON.stringify;
  return unitNix<SshUnit>(
    `uri = ${q(uri)}; ssh = { user = ${q(ssh.user)}; identityFile = ${q(ssh.identityFile)}; knownHostsFile = ${q(ssh.knownHostsFile)}; };`,
    "{ inherit (unit) uri loadCredential; }",
  );
}

/** A TCP port on 127.0.0.1 nobody listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

const keygen = (file: string) => run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", path.basename(file), "-f", file]);
const publicKey = (file: string) => fs.readFileSync(`${file}.pub`, "utf8").trim().split(/\s+/).slice(0, 2).join(" ");

const lab = currentLab();
const deployment = new Deployment(lab, "ssh");
const dir = fs.mkdtempSync(path.join(lab.runDir, "ssh-remote-"));
const file = (name: string) => path.join(dir, name);
const credentials = file("credentials");
let port = 0;
let sshd: ChildProcess | undefined;
let sshdLog = "";
let unit: SshUnit;

beforeAll(async () => {
  if (!fs.existsSync(SSHD)) throw new Error(`${SSHD} is missing (Debian: openssh-server)`);
  keygen(file("host_key"));
  keygen(file("other_host_key"));
  keygen(file("client_key"));
  fs.writeFileSync(file("authorized_keys"), `${publicKey(file("client_key"))}\n`, { mode: 0o600 });
  port = await freePort();
  fs.writeFileSync(
    file("sshd_config"),
    [
      "ListenAddress 127.0.0.1",
      `Port ${port}`,
      `HostKey ${file("host_key")}`,
      `AuthorizedKeysFile ${file("authorized_keys")}`,
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "AllowStreamLocalForwarding yes",
      "UsePAM no",
      `PidFile ${file("sshd.pid")}`,
      "StrictModes no",
      "LogLevel VERBOSE",
      "",
    ].join("\n"),
  );
  fs.writeFileSync(file("known_hosts"), `[127.0.0.1]:${port} ${publicKey(file("host_key"))}\n`);
  fs.writeFileSync(file("wrong_known_hosts"), `[127.0.0.1]:${port} ${publicKey(file("other_host_key"))}\n`);
  fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  // in the host's network namespace, where deploy and the provider run; -D -e: in the foreground, logging to stderr
  sshd = spawn(SSHD, ["-f", file("sshd_config"), "-D", "-e"], { stdio: ["ignore", "ignore", "pipe"] });
  sshd.stderr!.on("data", (c: Buffer) => (sshdLog += c));
  for (let i = 0; !(await accepts(port)); i++) {
    if (i > 100 || sshd.exitCode !== null) throw new Error(`sshd does not listen on 127.0.0.1:${port}:\n${sshdLog}`);
    await sleep(100);
  }

  unit = sshUnit(`qemu+ssh://127.0.0.1:${port}/system`, { user: "root", identityFile: file("client_key"), knownHostsFile: file("known_hosts") });
  // what systemd does with LoadCredential=ssh-identity:<key>
  fs.mkdirSync(credentials, { mode: 0o700 });
  fs.copyFileSync(file("client_key"), path.join(credentials, "ssh-identity"));
  fs.chmodSync(path.join(credentials, "ssh-identity"), 0o400);
});

afterAll(async () => {
  if (sshd && sshd.exitCode === null && sshd.pid !== undefined) {
    const exited = new Promise((resolve) => sshd!.once("exit", resolve));
    process.kill(sshd.pid, "SIGTERM");
    await exited;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

// the unit has no home directory, and no agent
const unitEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ HOME: "/nonexistent", SSH_AUTH_SOCK: undefined, CREDENTIALS_DIRECTORY: credentials, ...extra });
const spec = (uri: string) => labSpec("ssh", { uri });
// tofu wraps the provider's error lines
const flat = (output: string) => output.replace(/\s+/g, " ");
const sha256 = (f: string) => createHash("sha256").update(fs.readFileSync(f)).digest("hex");
const accepted = () => (sshdLog.match(/Accepted publickey for root from 127\.0\.0\.1/g) ?? []).length;

describe("a remote libvirtd over SSH with the unit's key and known hosts", () => {
  test("the unit's URI names the credential and the known hosts; the key is loaded as a credential", () => {
    expect(unit.uri).toBe(`qemu+ssh://root@127.0.0.1:${port}/system?keyfile=$CREDENTIALS_DIRECTORY/ssh-identity&knownhosts=${file("known_hosts")}`);
    expect(unit.uri).toContain("keyfile=$CREDENTIALS_DIRECTORY/ssh-identity");
    expect(unit.uri).toContain(`knownhosts=${file("known_hosts")}`);
    expect(unit.loadCredential).toEqual([`ssh-identity:${file("client_key")}`]);
  });

  test("another host key in known_hosts fails, and so does a missing credentials directory; nothing is made", async () => {
    const wrongHost = await deployment.deploy(spec(unit.uri.replace(file("known_hosts"), file("wrong_known_hosts"))), [], unitEnv());
    expectExit(wrongHost, 1);
    expect(flat(wrongHost.stderr)).toContain("Unable to Connect to Libvirt");
    expect(flat(wrongHost.stderr)).toContain("failed to dial libvirt: ssh: handshake failed: knownhosts: key mismatch");

    const noCredentials = await deployment.deploy(spec(unit.uri), [], unitEnv({ CREDENTIALS_DIRECTORY: undefined }));
    expectExit(noCredentials, 1);
    expect(flat(noCredentials.stderr)).toContain("ssh: unable to authenticate");
    expect(flat(noCredentials.stderr)).toContain("failed to read ssh key /ssh-identity");

    expect(accepted()).toBe(0);
    expect(volumeCapacity(VOLUME)).toBeUndefined();
    expect(fs.existsSync(deployment.stateFile)).toBe(false);
  });

  test("deploy uploads the base image through sshd; the next deploy changes nothing", async () => {
    const first = await deployment.deploy(spec(unit.uri), [], unitEnv());
    expectExit(first, 0);
    expect(accepted()).toBeGreaterThan(0);
    expect(volumeCapacity(VOLUME)).toBeGreaterThan(0);
    // the pool is local to the lab: the bytes that came through sshd are the image's
    expect(sha256(volumePath(VOLUME))).toBe(sha256(deployment.parts.guestImage));
    const sessions = accepted();

    const again = await deployment.deploy(spec(unit.uri), [], unitEnv());
    expectExit(again, 0);
    expect(again.stderr).toContain("no changes");
    expect(accepted()).toBeGreaterThan(sessions);
  });
});

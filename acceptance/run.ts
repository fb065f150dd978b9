// npm run test:acceptance [-- --check] [-- <jest arguments>]
//
// Applies the project's stacks for real: OpenTofu (or terraform), the libvirt provider from the plugin
// directory in CDKTF_LIBVIRT_PROVIDER_DIR, and a libvirtd the suite starts in a network namespace of its
// own, with guests under TCG. Without a provider directory it says so in one line and exits 0.
// --check runs only the harness' own check (libvirtd, the guest image, the agent), which needs no provider.
// --bench [--sizes 1,5,20] measures deploy beside bare tofu instead (bench/results/deploy.md).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { benchDeploy, renderDeployBench } from "./bench";
import { checkHarness } from "./harness/check";
import { labProblem, removeStaleLabs, startLab, stopLab, type Lab } from "./harness/lab";
import { buildGuestImage, cacheDir, PARTS_ENV, PROVIDER_DIR_ENV, resolveParts, ROOT } from "./harness/parts";
import { run } from "./harness/run";

// world-traversable: qemu runs as libvirt-qemu and opens the pool's files
const LAB_BASE = "/var/tmp";
const log = (line: string) => process.stderr.write(`[acceptance] ${line}\n`);

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { check: { type: "boolean", default: false }, bench: { type: "boolean", default: false }, sizes: { type: "string", default: "1,5,20" } },
    allowPositionals: true,
    strict: false,
  });
  const providerDir = process.env[PROVIDER_DIR_ENV];
  if (!values.check && !providerDir) {
    log(`skipped: ${PROVIDER_DIR_ENV} is not set (a plugin directory holding dmacvicar/libvirt 0.9.x; see acceptance/README.md)`);
    return 0;
  }
  removeStaleLabs(LAB_BASE);
  const problem = labProblem();
  if (problem) throw new Error(`cannot run here: ${problem}`);
  fs.mkdirSync(cacheDir(), { recursive: true });

  if (values.check) {
    const image = buildGuestImage();
    return withLab(async (lab) => {
      await checkHarness(lab, image, log);
      return 0;
    });
  }

  const parts = resolveParts(providerDir!);
  log(`binary ${parts.binary}; provider dmacvicar/libvirt ${parts.providerVersions.join(", ")} from ${parts.providerDir}; guest ${parts.guestImage}`);
  log("building the app (npm run build)");
  run("npm", ["run", "--silent", "build"], { timeoutMs: 10 * 60_000 });
  if (values.bench) {
    const sizes = String(values.sizes).split(",").map(Number);
    return withLab(async (lab) => {
      const results = await benchDeploy(lab, parts, sizes, log);
      const out = path.join(ROOT, "bench/results");
      fs.writeFileSync(path.join(out, "deploy.json"), `${JSON.stringify(results, null, 2)}\n`);
      fs.writeFileSync(path.join(out, "deploy.md"), renderDeployBench(results, parts));
      log(`wrote ${path.join(out, "deploy.md")}`);
      return 0;
    });
  }
  return withLab(async () => {
    const jest = spawnSync(
      process.execPath,
      [require.resolve("jest/bin/jest"), "--config", path.join(ROOT, "acceptance/jest.config.js"), "--runInBand", ...positionals.filter((a) => a !== "--")],
      { stdio: "inherit", env: { ...process.env, [PARTS_ENV]: JSON.stringify(parts) } },
    );
    return jest.status ?? 1;
  });
}

/** Starts the lab, runs `body`, and stops the lab however it ends (an interrupt included). */
async function withLab(body: (lab: Lab) => Promise<number>): Promise<number> {
  const lab = await startLab(LAB_BASE);
  log(`lab: libvirtd ${lab.pids.libvirtd} in namespace ${lab.netns}, ${lab.bridge} ${lab.gateway}/${lab.prefix} with DHCP ${lab.dhcpRange.start}-${lab.dhcpRange.end}`);
  const stop = () => {
    stopLab(lab);
    log("lab stopped and removed");
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the lab`);
    stop();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return await body(lab);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    log(`error: ${err.message}`);
    process.exit(1);
  },
);

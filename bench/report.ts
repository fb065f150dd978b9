// Renders bench/results/{after,before}.json as results.md (tables, targets) and synth-time.svg (a
// hand-written log-log chart, no dependency).

import { median, type WholeResults } from "./whole-process";

export type Label = "after" | "before";
export const SECTIONS = ["inprocess", "baseline", "cli", "default", "whole", "compile", "test", "ci"] as const;
export type Section = (typeof SECTIONS)[number];

export interface Stat {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export interface RunStat {
  kind: string;
  vms: number;
  loadMs: number;
  buildMs: number;
  synthMs: number;
  totalMs: number;
  wallMs: number;
  maxRssMB: number;
  bytes: number;
}

export interface InProcessStat {
  totalMs: Stat;
  loadMs: Stat;
  buildMs: Stat;
  synthMs: Stat;
  wallMs: Stat;
  maxRssMB: Stat;
  bytes: number;
}

export interface CliStat {
  wallMs: Stat;
  maxRssMB: Stat;
}

export interface Results {
  label: Label;
  bindings: "lazy" | "eager";
  date: string;
  commit: string;
  node: string;
  cpus: string;
  memoryGB: number;
  runs: number;
  sizes: number[];
  inprocess: Record<string, Record<number, InProcessStat>>;
  baselineIdentical?: boolean;
  /** Sections this run skipped whose numbers are an earlier run's. */
  kept?: { from: string; sections: string[] };
  /** The stack size (VMs) at which baselineIdentical was checked. */
  baselineCheckedAt?: number;
  cli: { empty?: CliStat; default?: CliStat; fleet?: Record<number, CliStat> };
  /** The user's whole path beside terranix (bench/whole-process.ts). */
  whole?: WholeResults;
  compile?: { totalMs: number; generateMs: number; postProcessMs: number; compileMs: number; stale?: string };
  npmTest?: { wallMs: number; ok: boolean; summary: string; stale?: string };
  npmCi?: { wallMs: number; ok: boolean; postinstallCompileMs?: number; stale?: string };
  benchSeconds?: number;
}

const s = (ms: number | undefined) => (ms === undefined || Number.isNaN(ms) ? "–" : ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const mb = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "–" : `${x.toFixed(0)} MB`);
const ratio = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? "–" : `${x.toFixed(2)}x`);

interface Target {
  name: string;
  goal: string;
  value: (r: Results) => number | undefined;
  format: (v: number) => string;
  met: (v: number) => boolean;
  gap: (v: number) => string;
}

const largest = (r: Results, kind: string) => {
  const sizes = Object.keys(r.inprocess[kind] ?? {}).map(Number);
  return sizes.length ? Math.max(...sizes) : undefined;
};
const fleetTotal = (r: Results, vms: number) => r.inprocess.fleet?.[vms]?.totalMs.median;

const versusTerranix = (r: Results, measure: "wallMs" | "maxRssMB") => {
  const e = r.whole?.sizes[1000];
  return e?.terranix ? median(e.spec[measure]) / median(e.terranix[measure]) : undefined;
};

export const TARGETS: Target[] = [
  {
    name: "spec path at 1000 VMs, whole process, over terranix: time",
    goal: "<= 1.0x (aim 0.5x)",
    value: (r) => versusTerranix(r, "wallMs"),
    format: ratio,
    met: (v) => v <= 1,
    gap: (v) => (v <= 0.5 ? "and the aim" : v <= 1 ? `the aim (0.5x) is ${(v - 0.5).toFixed(2)}x away` : `${(v - 1).toFixed(2)}x over`),
  },
  {
    name: "spec path at 1000 VMs, whole process, over terranix: peak RSS",
    goal: "<= 0.5x",
    value: (r) => versusTerranix(r, "maxRssMB"),
    format: ratio,
    met: (v) => v <= 0.5,
    gap: (v) => (v <= 0.5 ? "" : `${(v - 0.5).toFixed(2)}x over`),
  },
  {
    name: "1000 VMs in-process, time",
    goal: "<= 1.0 s (aim 0.5 s)",
    value: (r) => fleetTotal(r, 1000),
    format: s,
    met: (v) => v <= 1000,
    gap: (v) => (v <= 500 ? "and the aim" : v <= 1000 ? `by ${s(1000 - v)}; the aim is ${s(v - 500)} away` : `${s(v - 1000)} over (${(v / 1000).toFixed(2)}x)`),
  },
  {
    name: "1000 VMs in-process, peak RSS",
    goal: "<= 400 MB",
    value: (r) => r.inprocess.fleet?.[1000]?.maxRssMB.median,
    format: mb,
    met: (v) => v <= 400,
    gap: (v) => (v <= 400 ? `${mb(400 - v)} to spare` : `${mb(v - 400)} over`),
  },
  {
    name: "constructs' overhead over the bindings baseline (largest stack)",
    goal: "<= 1.15x",
    value: (r) => {
      const n = largest(r, "baseline");
      return n === undefined ? undefined : fleetTotal(r, n)! / r.inprocess.baseline[n].totalMs.median;
    },
    format: ratio,
    met: (v) => v <= 1.15,
    gap: (v) => (v <= 1.15 ? "" : `${v.toFixed(3)}x, ${((v - 1.15) * 100).toFixed(1)} points over`),
  },
  {
    name: "linear cost: time(1000 VMs) / time(100 VMs)",
    goal: "<= 11",
    value: (r) => (fleetTotal(r, 1000) !== undefined && fleetTotal(r, 100) ? fleetTotal(r, 1000)! / fleetTotal(r, 100)! : undefined),
    format: (v) => v.toFixed(1),
    met: (v) => v <= 11,
    gap: (v) => (v <= 11 ? "" : `${(v - 11).toFixed(1)} over`),
  },
  {
    name: "default stack via `cdktf synth` minus the trivial app's",
    goal: "<= 0.5 s",
    value: (r) => (r.cli.default && r.cli.empty ? r.cli.default.wallMs.median - r.cli.empty.wallMs.median : undefined),
    format: s,
    met: (v) => v <= 500,
    gap: (v) => (v <= 500 ? "" : `${s(v - 500)} over`),
  },
  {
    name: "1000 VMs via `cdktf synth` minus the trivial app's (for scale)",
    goal: "(not a target)",
    value: (r) => (r.cli.fleet?.[1000] && r.cli.empty ? r.cli.fleet[1000].wallMs.median - r.cli.empty.wallMs.median : undefined),
    format: s,
    met: () => true,
    gap: () => "",
  },
  {
    name: ".gen compile (generated sources to .js + .d.ts)",
    goal: "< 5 s",
    value: (r) => r.compile?.compileMs,
    format: s,
    met: (v) => v < 5000,
    gap: (v) => (v < 5000 ? "" : `${s(v - 5000)} over`),
  },
  {
    name: "npm test",
    goal: "< 60 s",
    value: (r) => r.npmTest?.wallMs,
    format: s,
    met: (v) => v < 60000,
    gap: (v) => (v < 60000 ? "" : `${s(v - 60000)} over`),
  },
];

function envLine(r: Results): string {
  const kept = r.kept ? `; ${r.kept.sections.join(", ")} kept from the run of ${r.kept.from.slice(0, 16).replace("T", " ")} UTC` : "";
  return `${r.label}: ${r.bindings} bindings, commit ${r.commit}, ${r.date.slice(0, 16).replace("T", " ")} UTC, node ${r.node}, ${r.cpus}, ${r.memoryGB} GB, median of ${r.runs} run(s)${r.benchSeconds ? `, bench took ${r.benchSeconds} s` : ""}${kept}`;
}

export function render(after: Results | undefined, before: Results | undefined): { markdown: string; svg: string } {
  const L: string[] = [];
  const both = [after, before].filter((r): r is Results => r !== undefined);
  L.push("# Synth benchmark results", "");
  L.push("Generated by `npm run bench` (bench/run.ts); see bench/README.md for what is measured and how.", "");
  for (const r of both) L.push(`- ${envLine(r)}`);
  L.push("");

  // in-process
  const sizes = [...new Set(both.flatMap((r) => Object.keys(r.inprocess.fleet ?? {}).map(Number)))].sort((a, b) => a - b);
  if (sizes.length) {
    L.push("## In-process synthesis", "");
    L.push("One fresh `node` process per run: load the modules, build the stack, `app.synth()`; time from the script's start (node's own ~40 ms start-up excluded), peak RSS from `process.resourceUsage().maxRSS`. *constructs* = the project's constructs (bench/stacks.ts); *baseline* = the same JSON written directly against .gen (bench/baseline-app.ts).", "");
    const head = ["VMs", "constructs", "RSS", "baseline", "RSS", "overhead"];
    if (before) head.push("constructs before", "RSS before", "baseline before", "speed-up");
    L.push(`| ${head.join(" | ")} |`, `|${head.map((_, i) => (i === 0 ? "---:" : "---:")).join("|")}|`);
    for (const n of sizes) {
      const a = after?.inprocess.fleet?.[n];
      const ab = after?.inprocess.baseline?.[n];
      const b = before?.inprocess.fleet?.[n];
      const bb = before?.inprocess.baseline?.[n];
      const row = [String(n), s(a?.totalMs.median), mb(a?.maxRssMB.median), s(ab?.totalMs.median), mb(ab?.maxRssMB.median), ratio(a && ab ? a.totalMs.median / ab.totalMs.median : undefined)];
      if (before) row.push(s(b?.totalMs.median), mb(b?.maxRssMB.median), s(bb?.totalMs.median), ratio(a && b ? b.totalMs.median / a.totalMs.median : undefined));
      L.push(`| ${row.join(" | ")} |`);
    }
    L.push("");
    L.push("Where the time goes (constructs stack, median ms: load modules / build tree / `app.synth()`):", "");
    L.push("| VMs | after: load | build | synth | before: load | build | synth |", "|---:|---:|---:|---:|---:|---:|---:|");
    for (const n of sizes) {
      const a = after?.inprocess.fleet?.[n];
      const b = before?.inprocess.fleet?.[n];
      L.push(`| ${n} | ${s(a?.loadMs.median)} | ${s(a?.buildMs.median)} | ${s(a?.synthMs.median)} | ${s(b?.loadMs.median)} | ${s(b?.buildMs.median)} | ${s(b?.synthMs.median)} |`);
    }
    L.push("");
    if (after?.baselineIdentical !== undefined) {
      L.push(after.baselineIdentical ? `The baseline synthesizes byte-identical JSON to the constructs stack (checked at ${after.baselineCheckedAt ?? 10} VMs).` : "**Note:** the baseline's JSON no longer matches the constructs stack; update bench/baseline-app.ts.", "");
    }
  }

  // CLI
  const cliRows: [string, (r: Results) => CliStat | undefined][] = [
    ["trivial app (empty stack)", (r) => r.cli.empty],
    ["default stack (main.ts: testvm)", (r) => r.cli.default],
    ...[...new Set(both.flatMap((r) => Object.keys(r.cli.fleet ?? {}).map(Number)))]
      .sort((a, b) => a - b)
      .map((n) => [`${n} VMs`, (r: Results) => r.cli.fleet?.[n]] as [string, (r: Results) => CliStat | undefined]),
  ];
  if (both.some((r) => r.cli.empty)) {
    L.push("## Through `cdktf synth`", "");
    L.push("`node_modules/.bin/cdktf synth --app <app> --output <tmp>` in a scratch folder with the project's cdktf.json, `CHECKPOINT_DISABLE=1`; wall time, and peak RSS of the largest process (GNU time). *over trivial* = minus the trivial app's time, i.e. what the stack itself costs.", "");
    const head = ["stack", "time", "over trivial", "peak RSS"];
    if (before) head.push("time before", "over trivial before");
    L.push(`| ${head.join(" | ")} |`, `|---|${head.slice(1).map(() => "---:").join("|")}|`);
    for (const [name, get] of cliRows) {
      const a = after && get(after);
      const b = before && get(before);
      const over = (r: Results | undefined, x: CliStat | undefined) => (r?.cli.empty && x ? s(x.wallMs.median - r.cli.empty.wallMs.median) : "–");
      const row = [name, s(a?.wallMs.median), name.startsWith("trivial") ? "" : over(after, a), mb(a?.maxRssMB.median)];
      if (before) row.push(s(b?.wallMs.median), name.startsWith("trivial") ? "" : over(before, b));
      L.push(`| ${row.join(" | ")} |`);
    }
    L.push("");
  }

  const whole = after?.whole;
  if (whole && Object.keys(whole.sizes).length > 0) {
    L.push("## The user's whole path, beside terranix", "");
    L.push(
      "Fresh processes side by side in one run, medians: the spec path the NixOS unit runs (`CDKTF_LIBVIRT_SPEC=<fleet spec> node main.js`), a TypeScript app of the same fleet through `cdktf synth`, and terranix evaluating the same fleet (`bench/terranix/fleet.nix`, `nix-instantiate --eval --strict --json` over terranix and nixpkgs' lib; the same resources as the constructs'). Peak RSS from GNU time.",
      "",
    );
    if (!whole.terranix) L.push("(terranix not measured: run with `--terranix DIR --nixpkgs-lib DIR`.)", "");
    L.push("| VMs | spec path | cdktf synth | terranix | spec / terranix (time) | spec / terranix (RSS) |", "|---:|---:|---:|---:|---:|---:|");
    for (const [n, e] of Object.entries(whole.sizes)) {
      const t = (x?: { wallMs: number[]; maxRssMB: number[] }) => (x ? `${s(median(x.wallMs))}, ${mb(median(x.maxRssMB))}` : "–");
      const r = (a: number[], b?: number[]) => (b ? ratio(median(a) / median(b)) : "–");
      L.push(`| ${n} | ${t(e.spec)} | ${t(e.cdktfSynth)} | ${t(e.terranix)} | ${r(e.spec.wallMs, e.terranix?.wallMs)} | ${r(e.spec.maxRssMB, e.terranix?.maxRssMB)} |`);
    }
    L.push("");
  }

  // build and test
  L.push("## Bindings compile, tests, install", "");
  const head = ["step", "after", ...(before ? ["before"] : [])];
  L.push(`| ${head.join(" | ")} |`, `|---|${head.slice(1).map(() => "---:").join("|")}|`);
  const stale = (x: { stale?: string } | undefined) => (x?.stale ? ` (from ${x.stale.slice(0, 10)})` : "");
  const c = (r?: Results) => (r?.compile ? `${s(r.compile.compileMs)}${stale(r.compile)}` : "–");
  const cAll = (r?: Results) => (r?.compile ? `${s(r.compile.totalMs)} (generate ${s(r.compile.generateMs)}, post-process ${s(r.compile.postProcessMs)})` : "–");
  L.push(`| .gen compile (.js + .d.ts, file by file, no type checker) | ${c(after)} |${before ? ` ${c(before)} |` : ""}`);
  L.push(`| packages/cdktf-libvirt/scripts/generate-bindings.js --force, whole | ${cAll(after)} |${before ? ` ${cAll(before)} |` : ""}`);
  const t = (r?: Results) => (r?.npmTest ? `${s(r.npmTest.wallMs)}${r.npmTest.ok ? "" : " (FAILED)"}${stale(r.npmTest)}` : "–");
  L.push(`| npm test (tsc --noEmit && jest) | ${t(after)} |${before ? ` ${t(before)} |` : ""}`);
  const ci = (r?: Results) => (r?.npmCi ? `${s(r.npmCi.wallMs)}${r.npmCi.ok ? "" : " (FAILED)"}${stale(r.npmCi)}` : "–");
  L.push(`| npm ci (scratch copy, offline cache, incl. postinstall) | ${ci(after)} |${before ? ` ${ci(before)} |` : ""}`);
  if (after?.npmTest?.summary) L.push("", `npm test: ${after.npmTest.summary.trim()}`);
  L.push("");

  // targets
  L.push("## Targets", "");
  const th = ["target", "goal", "after", "", ...(before ? ["before"] : [])];
  L.push(`| ${th.join(" | ")} |`, `|---|---|---:|---|${before ? "---:|" : ""}`);
  for (const target of TARGETS) {
    const v = after && target.value(after);
    const bv = before && target.value(before);
    const verdict = v === undefined ? "not measured" : target.goal.startsWith("(") ? "" : target.met(v) ? `met ${target.gap(v)}`.trim() : `**missed**: ${target.gap(v)}`;
    L.push(`| ${target.name} | ${target.goal} | ${v === undefined ? "–" : target.format(v)} | ${verdict} |${before ? ` ${bv === undefined ? "–" : target.format(bv)} |` : ""}`);
  }
  L.push("");
  L.push("![synth time](synth-time.svg)", "");
  return { markdown: L.join("\n"), svg: chart(after, before) };
}

/** Log-log chart of synth time against the number of VMs. */
function chart(after: Results | undefined, before: Results | undefined): string {
  type Series = { name: string; color: string; dash?: string; points: [number, number][] };
  const series: Series[] = [];
  const add = (name: string, color: string, dash: string | undefined, pts: [number, number | undefined][]) => {
    const points = pts.filter((p): p is [number, number] => p[0] > 0 && p[1] !== undefined && p[1] > 0).sort((a, b) => a[0] - b[0]);
    if (points.length) series.push({ name, color, dash, points });
  };
  const inproc = (r: Results | undefined, kind: string) => Object.entries(r?.inprocess[kind] ?? {}).map(([n, x]) => [Number(n), x.totalMs.median / 1000] as [number, number]);
  const viaCli = (r: Results | undefined) => Object.entries(r?.cli.fleet ?? {}).map(([n, x]) => [Number(n), x.wallMs.median / 1000] as [number, number]);
  add("after: constructs, in-process", "#1f77b4", undefined, inproc(after, "fleet"));
  add("after: bindings baseline, in-process", "#2ca02c", undefined, inproc(after, "baseline"));
  add("after: constructs, cdktf synth", "#9467bd", undefined, viaCli(after));
  add("before: constructs, in-process", "#d62728", "6 4", inproc(before, "fleet"));
  add("before: bindings baseline, in-process", "#ff7f0e", "6 4", inproc(before, "baseline"));
  add("before: constructs, cdktf synth", "#8c564b", "6 4", viaCli(before));

  const W = 800;
  const H = 440;
  const m = { left: 70, right: 280, top: 40, bottom: 50 };
  const xs = series.flatMap((x) => x.points.map((p) => p[0]));
  const ys = series.flatMap((x) => x.points.map((p) => p[1])).concat([1.0]);
  const xMin = Math.min(1, ...xs);
  const xMax = Math.max(1000, ...xs);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...ys)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...ys)));
  const px = (x: number) => m.left + ((Math.log10(x) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin) || 1)) * (W - m.left - m.right);
  const py = (y: number) => H - m.bottom - ((Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin) || 1)) * (H - m.top - m.bottom);
  const o: string[] = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  o.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  o.push(`<text x="${m.left}" y="22" font-size="15" font-weight="bold">Synth time by number of VMs (log-log, median)</text>`);
  for (let e = Math.log10(yMin); e <= Math.log10(yMax) + 1e-9; e++) {
    for (const k of [1, 2, 5]) {
      const y = k * 10 ** e;
      if (y < yMin || y > yMax) continue;
      o.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${py(y).toFixed(1)}" y2="${py(y).toFixed(1)}" stroke="${k === 1 ? "#ccc" : "#eee"}"/>`);
      o.push(`<text x="${m.left - 6}" y="${(py(y) + 4).toFixed(1)}" text-anchor="end">${y >= 1 ? `${y} s` : `${Math.round(y * 1000)} ms`}</text>`);
    }
  }
  for (let e = Math.log10(xMin); e <= Math.log10(xMax) + 1e-9; e++) {
    const x = 10 ** e;
    o.push(`<line x1="${px(x).toFixed(1)}" x2="${px(x).toFixed(1)}" y1="${m.top}" y2="${H - m.bottom}" stroke="#ccc"/>`);
    o.push(`<text x="${px(x).toFixed(1)}" y="${H - m.bottom + 18}" text-anchor="middle">${x}</text>`);
  }
  o.push(`<text x="${(m.left + W - m.right) / 2}" y="${H - 12}" text-anchor="middle">VMs in the stack</text>`);
  o.push(`<rect x="${m.left}" y="${m.top}" width="${W - m.left - m.right}" height="${H - m.top - m.bottom}" fill="none" stroke="#888"/>`);
  // the target: 1000 VMs in 1.0 s
  const tx = px(1000);
  const ty = py(1.0);
  o.push(`<path d="M ${tx - 7} ${ty} L ${tx} ${ty - 7} L ${tx + 7} ${ty} L ${tx} ${ty + 7} Z" fill="none" stroke="black" stroke-width="1.5"/>`);
  series.forEach((x) => {
    const d = x.points.map((p, i) => `${i ? "L" : "M"} ${px(p[0]).toFixed(1)} ${py(p[1]).toFixed(1)}`).join(" ");
    o.push(`<path d="${d}" fill="none" stroke="${x.color}" stroke-width="2"${x.dash ? ` stroke-dasharray="${x.dash}"` : ""}/>`);
    for (const p of x.points) o.push(`<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="3" fill="${x.color}"/>`);
  });
  const lx = W - m.right + 15;
  series.forEach((x, i) => {
    const ly = m.top + 10 + i * 20;
    o.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${x.color}" stroke-width="2"${x.dash ? ` stroke-dasharray="${x.dash}"` : ""}/>`);
    o.push(`<text x="${lx + 30}" y="${ly + 4}">${x.name}</text>`);
  });
  const ly = m.top + 10 + series.length * 20;
  o.push(`<path d="M ${lx + 12 - 6} ${ly} L ${lx + 12} ${ly - 6} L ${lx + 12 + 6} ${ly} L ${lx + 12} ${ly + 6} Z" fill="none" stroke="black" stroke-width="1.5"/>`);
  o.push(`<text x="${lx + 30}" y="${ly + 4}">target: 1000 VMs in 1.0 s</text>`);
  o.push("</svg>");
  return o.join("\n") + "\n";
}

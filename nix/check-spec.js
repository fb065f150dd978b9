#!/usr/bin/env node
// Checks a spec file with the app's own loader, the way the unit's synth will read it: parse and
// validate it (loadSpec), build its stacks and run every construct validation, then synthesize into
// a temporary directory. The NixOS module runs it when it builds the spec file, so a bad spec fails
// `nixos-rebuild build` with the loader's messages instead of failing the unit after a switch.
//
//   node check-spec.js APP_DIR SPEC_FILE [--expect OTHER_SPEC_FILE]
//
// APP_DIR is the installed app (with dist/ and node_modules/). With --expect, the two specs must
// synthesize to the same Terraform JSON (used by the flake's checks and the tests).
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { parseArgs } = require("util");

/**
 * Loads, validates, builds and synthesizes one spec file.
 * `modules.spec` is the app's spec module (loadSpec, buildStacks), `modules.cdktf` the cdktf library
 * the app itself uses (a second copy would not recognise the app's stacks).
 * Returns the synthesized Terraform JSON of each stack, by stack name.
 */
function synthSpec(modules, file) {
  const { spec, cdktf } = modules;
  const data = spec.loadSpec(file);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-libvirt-check-"));
  try {
    const app = new cdktf.App({ outdir });
    spec.buildStacks(app, data);
    const stacks = app.node.findAll().filter((c) => cdktf.TerraformStack.isStack(c));
    for (const stack of stacks) stack.runAllValidations();
    app.synth();
    const result = {};
    for (const stack of stacks) {
      const name = stack.node.id;
      result[name] = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
    }
    return result;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Paths (a.b[2].c) at which two JSON values differ; empty when they are equal. */
function differences(a, b, at = "") {
  if (a === b) return [];
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return [at || "(top level)"];
  }
  if (Array.isArray(a)) {
    if (a.length !== b.length) return [`${at} (length ${a.length} vs ${b.length})`];
    return a.flatMap((x, i) => differences(x, b[i], `${at}[${i}]`));
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((k) => differences(a[k], b[k], at ? `${at}.${k}` : k));
}

function loadAppModules(appDir) {
  return {
    spec: require(path.join(appDir, "dist", "stack-spec")),
    cdktf: require(require.resolve("cdktf", { paths: [appDir] })),
  };
}

function main(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { expect: { type: "string" } } });
  } catch (err) {
    parsed = { error: err.message };
  }
  if (parsed.error || parsed.positionals.length !== 2) {
    console.error(`${parsed.error ? `${parsed.error}\n` : ""}usage: check-spec.js APP_DIR SPEC_FILE [--expect OTHER_SPEC_FILE]`);
    return 2;
  }
  const [appDir, file] = parsed.positionals;
  const expect = parsed.values.expect;
  const modules = loadAppModules(appDir);
  let got;
  try {
    got = synthSpec(modules, file);
  } catch (err) {
    console.error(`cdktf-libvirt: the generated spec is not valid:\n${err.message}`);
    return 1;
  }
  if (expect) {
    const want = synthSpec(modules, expect);
    const diff = differences(got, want);
    if (diff.length > 0) {
      console.error(`${file} and ${expect} synthesize differently at:\n  ${diff.slice(0, 20).join("\n  ")}`);
      return 1;
    }
  }
  console.log(`${file}: valid; stacks: ${Object.keys(got).join(", ")}${expect ? `; same Terraform JSON as ${expect}` : ""}`);
  return 0;
}

module.exports = { synthSpec, differences };

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}

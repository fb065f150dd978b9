#!/usr/bin/env node
// Generates .gen/providers/libvirt from the committed provider schema, offline, with the same generator
// `cdktf get` uses, then compiles the bindings once to .js + .d.ts so that neither tsc nor jest nor the
// synth app re-checks ~230k generated lines on every run. Skips the work when the inputs are unchanged.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const cdktfJson = JSON.parse(fs.readFileSync(path.join(root, "cdktf.json"), "utf8"));
const outDir = path.join(root, cdktfJson.codeMakerOutput);
const schemaFile = path.join(root, "schemas", "dmacvicar-libvirt-0.9.7.json");
const stampFile = path.join(outDir, ".inputs-sha256");
const force = process.argv.includes("--force");

function inputsDigest() {
  const generatorVersion = require("@cdktf/provider-generator/package.json").version;
  const tsVersion = require("typescript").version;
  return crypto
    .createHash("sha256")
    .update(fs.readFileSync(schemaFile))
    .update(fs.readFileSync(__filename))
    .update(`${generatorVersion}\n${tsVersion}\n${JSON.stringify(cdktfJson.terraformProviders)}`)
    .digest("hex");
}

function compile(srcRoot, destRoot) {
  const ts = require("typescript");
  const files = [];
  (function walk(dir) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith(".ts")) files.push(p);
    }
  })(srcRoot);
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    declaration: true,
    strict: true,
    skipLibCheck: true,
    types: ["node"],
    rootDir: srcRoot,
    outDir: destRoot,
    // the generated sources compile cleanly (the schema README says so); we still fail loudly if not
    noEmitOnError: true,
  });
  const result = program.emit();
  const diagnostics = ts.getPreEmitDiagnostics(program).concat(result.diagnostics);
  if (diagnostics.length > 0) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => srcRoot, getNewLine: () => "\n" };
    throw new Error(ts.formatDiagnostics(diagnostics.slice(0, 20), host));
  }
}

async function main() {
  const digest = inputsDigest();
  if (!force && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8").trim() === digest) {
    console.log(`bindings in ${path.relative(root, outDir)}/ are up to date`);
    return;
  }
  const started = Date.now();
  const { TerraformProviderGenerator, CodeMaker } = require("@cdktf/provider-generator");
  const { ConstructsMakerProviderTarget, TerraformProviderConstraint, LANGUAGES } = require("@cdktf/commons");
  const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
  // the pin in cdktf.json, as `cdktf get` reads it: the bindings then carry the same version metadata
  // (required_providers source + version) that an online `cdktf get` would give them
  const constraint = new TerraformProviderConstraint(cdktfJson.terraformProviders[0]);
  const [fqpn] = Object.keys(schema.provider_schemas);
  schema.provider_versions = { [fqpn]: constraint.version.replace(/^[=~>< ]+/, "") };
  // inside the project so that the generated sources resolve cdktf and constructs from node_modules
  const work = fs.mkdtempSync(path.join(root, ".gen-work-"));
  try {
    const code = new CodeMaker();
    new TerraformProviderGenerator(code, schema).generate(new ConstructsMakerProviderTarget(constraint, LANGUAGES[0]));
    await code.save(work);
    fs.rmSync(outDir, { recursive: true, force: true });
    compile(work, outDir);
    // keep the generator's per-resource READMEs beside the compiled bindings
    for (const dir of fs.readdirSync(path.join(work, "providers", "libvirt"))) {
      const readme = path.join(work, "providers", "libvirt", dir, "README.md");
      if (fs.existsSync(readme)) fs.copyFileSync(readme, path.join(outDir, "providers", "libvirt", dir, "README.md"));
    }
    fs.writeFileSync(stampFile, digest + "\n");
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(`generated ${path.relative(root, outDir)}/providers/libvirt from ${path.relative(root, schemaFile)} in ${Date.now() - started} ms`);
}

main().catch((err) => {
  console.error(`generate-bindings: ${err.stack || err}`);
  process.exit(1);
});

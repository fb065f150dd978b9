#!/usr/bin/env node
// Generates .gen/providers/libvirt from the committed provider schema, offline, with the same generator
// `cdktf get` uses, then compiles the bindings once to .js + .d.ts so that neither tsc nor jest nor the
// synth app re-checks ~230k generated lines on every run. Skips the work when the inputs are unchanged.
//
// The compile emits file by file without the type checker: the .d.ts with TypeScript in a worker thread
// (emitDeclarations), the .js with Sucrase on the main thread at the same time (emitJavaScript); ~3.5 s
// instead of ~10 s for a type-checked tsc program. `--check` also builds that program, and fails on a
// type error or on a .d.ts that differs.
//
// Between generating and compiling, the sources are post-processed for synth speed (see postProcess
// below and bench/README.md): nested reference objects are built on first access instead of eagerly,
// without stack traces, and attribute mappers drop undefined keys. The synthesized JSON is unchanged.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { Worker, isMainThread, parentPort } = require("worker_threads");
const { execFileSync } = require("child_process");

const root = path.resolve(__dirname, "..");
const cdktfJson = JSON.parse(fs.readFileSync(path.join(root, "cdktf.json"), "utf8"));
// --out DIR: somewhere else than cdktf.json's codeMakerOutput (the benchmark keeps an --eager copy there)
const outIndex = process.argv.indexOf("--out");
const outDir = outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : path.join(root, cdktfJson.codeMakerOutput);
const schemaFile = path.join(root, "schemas", "dmacvicar-libvirt-0.9.7.json");
const stampFile = path.join(outDir, ".inputs-sha256");
const force = process.argv.includes("--force");
// --eager: skip postProcess, i.e. the generator's output as is (for before/after comparisons)
const eager = process.argv.includes("--eager");
// --check: also compile as one type-checked tsc program, as every generation did before (~10 s more), and
// fail on a type error or on output that differs; for changes of the schema, the generator, TypeScript
// or this script
const check = process.argv.includes("--check");

function inputsDigest() {
  const generatorVersion = require("@cdktf/provider-generator/package.json").version;
  const tsVersion = require("typescript/package.json").version;
  const sucraseVersion = require("sucrase/package.json").version;
  return crypto
    .createHash("sha256")
    .update(fs.readFileSync(schemaFile))
    .update(fs.readFileSync(__filename))
    .update(fs.readFileSync(FRAMEWORK_FILE))
    .update(`${generatorVersion}\n${tsVersion}\n${sucraseVersion}\n${JSON.stringify(cdktfJson.terraformProviders)}${eager ? "\neager" : ""}`)
    .digest("hex");
}

function listFiles(dirRoot, extension) {
  const files = [];
  (function walk(dir) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith(extension)) files.push(p);
    }
  })(dirRoot);
  return files;
}

const listTs = (srcRoot) => listFiles(srcRoot, ".ts");

// ---------------------------------------------------------------------------------------------------
// Post-processing of the generated sources (skipped with --eager). Four changes, none of which changes
// the synthesized JSON (__tests__/bench/synth-golden.test.ts compares against output of the generator's
// unmodified code) or the bindings' public API (the same exports; the .d.ts differ in private members,
// and the domain's nested-block types are declared in more, smaller files):
//
// 1. Lazy nested references. The generator initializes one reference object per nested block, eagerly
//    and recursively: `new Domain(...)` built ~1,300 of them, almost all for blocks nobody sets. Now
//    each is built on first access, and reading the value of one never built gives undefined, which
//    is what a fresh one gives (their constructors have no other effect).
// 2. No stack traces for those objects. cdktf records a full stack trace (creationStack) in every
//    ComplexObject/ComplexList it constructs, read only by token error messages that never concern
//    these objects; even the few dozen per VM that are set cost ~1 ms per VM. They are now built by
//    `untraced` (src/framework.ts, copied into providers/libvirt/bindings-runtime.ts), which swaps
//    cdktf's capture function for a no-op during that one synchronous constructor call and puts it
//    back. CDKTF_LIBVIRT_STACK_TRACES=1 keeps every trace.
// 3. No undefined-valued keys in synthesizeAttributes() and the *ToTerraform() mappers. cdktf drops
//    undefined values anyway, but only after resolving, key by key, several times per synth: a domain's
//    ~100 top-level and ~1,300 nested attributes cost even when unset. Nor are mappers called for unset
//    fields.
// 4. A module per struct, loaded on first use. The generator writes a large resource's nested-block
//    types ("structs") into files of 400 each, which import one another: loading the domain binding
//    compiled all ~7 MB of them (~0.1 s), where a stack uses a few dozen. Each struct (its interface,
//    mappers and reference classes) now gets a module of its own (splitStructs), and its JavaScript
//    requires another struct's module when one of that module's exports is first used
//    (lazyStructRequires, lazyStarExports).

/**
 * The generator's output is not what the post-processing knows (another generator version): the bindings
 * are then written as the generator made them, with a warning (the same JSON, a slower synth).
 */
class ShapeError extends Error {}

const RUNTIME_MODULE = "bindings-runtime";
// The trace switch is the constructs' own (src/framework.ts), copied in: generated code cannot
// import the project's modules, and one implementation keeps both behaving alike.
const FRAMEWORK_FILE = path.join(root, "src", "framework.ts");
const runtimeSource = () => `// generated by scripts/generate-bindings.js from src/framework.ts and the helper below

${fs.readFileSync(FRAMEWORK_FILE, "utf8")}
/** The attributes without the keys whose value is undefined (cdktf would drop them after resolving them). */
export function compactAttributes(attributes: { [name: string]: any }): { [name: string]: any } {
  const result: { [name: string]: any } = {};
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value !== undefined) result[key] = value;
  }
  return result;
}
`;

// A field the generator initializes eagerly with a nested reference object, e.g.
//   private _os = new DomainOsOutputReference(this, "os");
//   private _disks = new DomainDevicesDisksList(this, "disks", false);
const EAGER_REFERENCE = /^( *)private (_[A-Za-z0-9]+) = new ([A-Za-z0-9]+)\(this, ("[^"\\]*")((?:, (?:true|false))?)\);$/gm;

/**
 * 1 + 2: rewrites each eager reference field `_x` of a class into
 *
 *   private _x$ref?: C;                                      // the object, once built
 *   private get _x(): C { if (this._x$ref === undefined) this._x$ref = untraced(() => new C(this, "x")); ... }
 *   private get _x$value() { return this._x$ref === undefined ? undefined : ...; }  // reads never build it
 *   private set _x$value(v) { if (v !== undefined || this._x$ref !== undefined) this._x.internalValue = v; }
 *
 * and every `this._x.internalValue` / `this._x?.internalValue` of the class into `this._x$value`. The
 * public getter `x`, putX and resetX go through `_x` and so build the object when used. `$` never occurs
 * in generated names, so the added members cannot collide with the generator's. No `??=` or `?.`: the
 * JavaScript emitter (emitJavaScript) would turn them into helper calls.
 */
function lazifyNestedReferences(source, file) {
  let count = 0;
  // class by class: the same field name can be a reference in one class and a plain value in another
  const text = source.replace(/^export class (\w+)[^\n]*\{\n[\s\S]*?^\}$/gm, (body, className) => {
    const names = [...body.matchAll(EAGER_REFERENCE)].map((m) => m[2]);
    if (names.length === 0) return body;
    count += names.length;
    const alternation = names.sort((x, y) => y.length - x.length).join("|");
    // reads and writes of the reference's value go through `_x$value` (before its accessors exist)
    const withValue = new Set();
    let out = body.replace(new RegExp(`this\\.(${alternation})\\??\\.internalValue\\b`, "g"), (_m, name) => {
      withValue.add(name);
      return `this.${name}$value`;
    });
    // nothing else may assign the field: it is a getter now (tsc would reject it too; this names the cause)
    const assigned = new RegExp(`this\\.(${alternation}) =[^=]`).exec(out);
    if (assigned) throw new ShapeError(`${file}: ${className} assigns ${assigned[1]}; the generator's output changed shape`);
    out = out.replace(EAGER_REFERENCE, (_m, indent, name, cls, attr, wrapsSet) => {
      const r = `${name}$ref`;
      const v = `${name}$value`;
      const lines = [
        `${indent}private ${r}?: ${cls};`,
        `${indent}private get ${name}(): ${cls} {`,
        `${indent}  if (this.${r} === undefined) this.${r} = untraced(() => new ${cls}(this, ${attr}${wrapsSet}));`,
        `${indent}  return this.${r};`,
        `${indent}}`,
      ];
      // a computed-only list has no internalValue, and then nothing to read or write through it
      if (withValue.has(name)) {
        lines.push(
          `${indent}private get ${v}(): ${cls}["internalValue"] {`,
          `${indent}  return this.${r} === undefined ? undefined : this.${r}.internalValue;`,
          `${indent}}`,
          `${indent}private set ${v}(value: ${cls}["internalValue"]) {`,
          `${indent}  if (value !== undefined || this.${r} !== undefined) this.${name}.internalValue = value;`,
          `${indent}}`,
        );
      }
      return lines.join("\n");
    });
    return out;
  });
  // every eager field must have been inside a recognized class
  const left = new RegExp(EAGER_REFERENCE.source, "m").exec(text);
  if (left) throw new ShapeError(`${file}: ${left[2]} is still eager; the generator's output changed shape`);
  return { text, count };
}

/**
 * 3: `return { a: ..., b: ... }` of every `xToTerraform(struct)` mapper (2-space indent, closed by
 * "  }" + "}") and of every `synthesizeAttributes()` (4-space indent, closed by "    };" + "  }")
 * becomes `return compactAttributes({ ... })`. Line-based, and every such function must match.
 */
// An entry that maps a plain field, `name: cdktf.stringToTerraform(struct!.name),` or
// `disks: cdktf.listMapper(m, false)(this._disks),`: every mapper returns undefined for undefined, so
// it need not run (nor its list mapper be built) for an unset field.
const UNGUARDED_ENTRY = /^(\s+\w+): (.+)\((struct!\.\w+|this\._\w+)\),$/;
// A nested block read through its lazy getter, `os: domainOsToTerraform(this._os$value),`: unset as long
// as its reference object was never built, and then its mapper need not run (nor its module load).
const UNGUARDED_BLOCK = /^(\s+\w+): (.+)\(this\.(_\w+)\$value\),$/;

function compactReturns(source, file) {
  const lines = source.split("\n");
  let mappers = 0;
  let synthesizers = 0;
  let expected = 0;
  for (let i = 0; i < lines.length; i++) {
    const mapper = /^export function \w+ToTerraform\(/.test(lines[i]);
    const synth = /^  protected synthesizeAttributes\(\)/.test(lines[i]);
    if (!mapper && !synth) continue;
    expected++;
    const indent = mapper ? "  " : "    ";
    const end = mapper ? "}" : "  }";
    let j = i + 1;
    while (j < lines.length && lines[j] !== end && lines[j] !== `${indent}return {`) j++;
    if (lines[j] !== `${indent}return {`) continue;
    let k = j + 1;
    while (k < lines.length && !(lines[k] === `${indent}}${mapper ? "" : ";"}` && lines[k + 1] === end)) {
      if (lines[k] === end) break;
      k++;
    }
    if (lines[k + 1] !== end) continue;
    lines[j] = `${indent}return compactAttributes({`;
    lines[k] = `${indent}});`;
    for (let e = j + 1; e < k; e++) {
      lines[e] = lines[e]
        .replace(UNGUARDED_ENTRY, "$1: $3 === undefined ? undefined : $2($3),")
        .replace(UNGUARDED_BLOCK, "$1: this.$3$ref === undefined ? undefined : $2(this.$3$value),");
    }
    if (mapper) mappers++;
    else synthesizers++;
    i = k;
  }
  if (mappers + synthesizers !== expected) {
    throw new ShapeError(`${file}: ${expected - mappers - synthesizers} attribute mapper(s) not in the expected shape; the generator's output changed`);
  }
  return { text: lines.join("\n"), mappers, synthesizers };
}

const STRUCTS_DIR = "index-structs";
const DECLARATION = /^export (interface|function|class) (\w+)/;
// the declarations the generator writes for a struct X besides `interface X`
const STRUCT_MEMBER_SUFFIXES = ["ToTerraform", "ToHclTerraform", "OutputReference", "List", "Map"];

/** DomainDevicesDisks -> domain-devices-disks */
const kebab = (name) => name.replace(/(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/g, "-").toLowerCase();

/**
 * 4: rewrites `dir` (an index-structs folder: structs0.ts, structs400.ts, ... and index.ts re-exporting
 * them) into one module per struct, each importing exactly the names it uses from the others, and an
 * index.ts re-exporting them all. Returns the number of modules.
 */
function splitStructs(dir, providerDir) {
  const files = fs.readdirSync(dir).filter((f) => /^structs\d+\.ts$/.test(f)).sort((a, b) => parseInt(a.slice(7), 10) - parseInt(b.slice(7), 10));
  const indexFile = path.join(dir, "index.ts");
  const expectedIndex = files.map((f) => `export * from './${f.replace(/\.ts$/, "")}'`).join("\n");
  if (fs.readFileSync(indexFile, "utf8").trim() !== expectedIndex) throw new ShapeError(`${indexFile}: not the generator's index of ${files.join(", ")}; its output changed shape`);
  // every top-level declaration, in order: from its `export` line to the next one's
  const declarations = [];
  for (const file of files) {
    const lines = fs.readFileSync(path.join(dir, file), "utf8").split("\n");
    const first = lines.findIndex((line) => DECLARATION.test(line));
    for (let i = first; i < lines.length; ) {
      const [, kind, name] = DECLARATION.exec(lines[i]) ?? fail(`${file}:${i + 1}: not a declaration`);
      let end = i + 1;
      while (end < lines.length && !lines[end].startsWith("export ")) {
        if (/^(?:import|const|let|var|function|class) /.test(lines[end])) fail(`${file}:${end + 1}: a statement between declarations`);
        end++;
      }
      declarations.push({ kind, name, text: lines.slice(i, end).join("\n").trimEnd() });
      i = end;
    }
  }
  function fail(why) {
    throw new ShapeError(`${path.relative(process.cwd(), dir)}/${why}; the generator's output changed shape`);
  }
  // the struct each declaration belongs to (an interface is one; anything else unmatched stands alone)
  const structs = new Set(declarations.filter((d) => d.kind === "interface").map((d) => d.name));
  const structOf = (name) => {
    if (structs.has(name)) return name;
    for (const suffix of STRUCT_MEMBER_SUFFIXES) {
      const base = name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
      if (base && structs.has(base[0].toUpperCase() + base.slice(1))) return base[0].toUpperCase() + base.slice(1);
    }
    return name[0].toUpperCase() + name.slice(1);
  };
  const modules = new Map(); // module name -> its declarations
  const moduleOf = new Map(); // declared name -> module name
  for (const declaration of declarations) {
    const module = kebab(structOf(declaration.name));
    if (!modules.has(module)) modules.set(module, []);
    modules.get(module).push(declaration);
    moduleOf.set(declaration.name, module);
  }
  if (modules.has("index") || new Set([...modules.keys()].map((m) => m.toLowerCase())).size !== modules.size) fail("module names collide");
  for (const file of files) fs.rmSync(path.join(dir, file));
  for (const [module, members] of modules) {
    const text = members.map((d) => d.text).join("\n\n");
    const own = new Set(members.map((d) => d.name));
    const imports = new Map(); // module -> names
    for (const [word] of text.matchAll(/[A-Za-z_$][\w$]*/g)) {
      const from = moduleOf.get(word);
      if (from === undefined || own.has(word)) continue;
      if (!imports.has(from)) imports.set(from, new Set());
      imports.get(from).add(word);
    }
    const header = ["import * as cdktf from 'cdktf';"];
    for (const [from, names] of imports) header.push(`import { ${[...names].join(", ")} } from './${from}';`);
    const runtime = runtimeImport(text, dir, providerDir);
    if (runtime !== undefined) header.push(runtime);
    fs.writeFileSync(path.join(dir, `${module}.ts`), `${header.join("\n")}\n${text}\n`);
  }
  fs.writeFileSync(indexFile, [...modules.keys()].map((module) => `export * from './${module}';`).join("\n") + "\n");
  return modules.size;
}

/** The import of the runtime helpers that `text`, a module in `dir`, calls; undefined if it calls none. */
function runtimeImport(text, dir, providerDir) {
  const used = ["untraced", "compactAttributes"].filter((name) => text.includes(`${name}(`));
  if (used.length === 0) return undefined;
  let spec = path.relative(dir, path.join(providerDir, RUNTIME_MODULE)).split(path.sep).join("/");
  if (!spec.startsWith(".")) spec = `./${spec}`;
  return `import { ${used.join(", ")} } from "${spec}";`;
}

function postProcess(srcRoot) {
  const providerDir = path.join(srcRoot, "providers", "libvirt");
  fs.writeFileSync(path.join(providerDir, `${RUNTIME_MODULE}.ts`), runtimeSource());
  const stats = { references: 0, mappers: 0, synthesizers: 0 };
  for (const file of listTs(srcRoot)) {
    if (path.basename(file) === `${RUNTIME_MODULE}.ts`) continue;
    const rel = path.relative(srcRoot, file);
    const source = fs.readFileSync(file, "utf8");
    const lazy = lazifyNestedReferences(source, rel);
    const compact = compactReturns(lazy.text, rel);
    const runtime = runtimeImport(compact.text, path.dirname(file), providerDir);
    if (runtime === undefined) continue;
    // after the generator's own imports, i.e. before the first declaration
    const text = compact.text.replace(/^(?=export |\/\*\*)/m, `${runtime}\n`);
    fs.writeFileSync(file, text);
    stats.references += lazy.count;
    stats.mappers += compact.mappers;
    stats.synthesizers += compact.synthesizers;
  }
  stats.structModules = 0;
  for (const resource of fs.readdirSync(providerDir)) {
    const dir = path.join(providerDir, resource, STRUCTS_DIR);
    if (!fs.existsSync(dir)) continue;
    stats.structModules += splitStructs(dir, providerDir);
  }
  // a generator upgrade that renamed the patterns would silently bring the costs back
  if (stats.references === 0 || stats.mappers === 0 || stats.synthesizers === 0 || stats.structModules === 0) {
    throw new ShapeError(`post-processing found nothing to change (${JSON.stringify(stats)}); the generator's output changed shape`);
  }
  return stats;
}

// ---------------------------------------------------------------------------------------------------
// Explicit declared types (also with --eager), so that the .d.ts need no type checker. The generator leaves
// the type of ~5,500 getters and ~4,700 methods to inference: `get nameInput() { return this._name; }`,
// `resetName() { ... }`. Each gets the type tsc infers for it, read off the declaration it returns, in
// the order tsc prints a union in; the .d.ts are byte-identical to those of a type-checked program. An
// unknown shape fails here, and a member left to inference fails the compile (isolatedDeclarations).

const CLASS = /^export class (\w+)[^\n]*\{\n[\s\S]*?^\}$/gm;

/** The members of a top-level union type, e.g. `X[] | cdktf.IResolvable` (nested `{ a: b | c }` stays whole). */
function unionMembers(type) {
  const members = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < type.length; i++) {
    if ("{([<".includes(type[i])) depth++;
    else if ("})]>".includes(type[i])) depth--;
    else if (depth === 0 && type.startsWith(" | ", i)) {
      members.push(type.slice(start, i));
      start = i + 3;
    }
  }
  members.push(type.slice(start));
  return members.map((member) => member.trim());
}

const PRIMITIVES = ["string", "number", "boolean"];

/**
 * A union as tsc prints an inferred one: by type identity, i.e. primitives (intrinsic), then
 * cdktf.IResolvable (resolved before any generated type), then the generated types, undefined last.
 */
function inferredUnion(type, orUndefined) {
  const members = unionMembers(type);
  if (orUndefined && !members.includes("undefined")) members.push("undefined");
  const rank = (m) => (PRIMITIVES.includes(m) ? 0 : m === "cdktf.IResolvable" ? 1 : m === "undefined" ? 3 : 2);
  return members
    .map((member, index) => ({ member, index }))
    .sort((a, b) => rank(a.member) - rank(b.member) || a.index - b.index)
    .map(({ member }) => member)
    .join(" | ");
}

/** Class name -> type of its internalValue, for the `xInput` getters of nested blocks (in any file). */
function internalValueTypes(sources) {
  const types = new Map();
  for (const source of sources) {
    for (const [body, className] of source.matchAll(CLASS)) {
      const getter = /^  public get internalValue\(\): (.+) \{$/m.exec(body);
      const field = /^  public internalValue\? : (.+)$/m.exec(body);
      if (getter) types.set(className, getter[1]);
      else if (field) types.set(className, `${field[1]} | undefined`);
    }
  }
  return types;
}

const ATTRIBUTE_GETTER_TYPES = {
  getStringAttribute: "string",
  getNumberAttribute: "number",
  getBooleanAttribute: "cdktf.IResolvable",
  getListAttribute: "string[]",
};

function declareTypes(source, file, valueTypes) {
  // a type taken from another file's class may only name what this file declares or imports
  const inScope = new Set(["cdktf", "undefined", ...PRIMITIVES]);
  for (const m of source.matchAll(/^export (?:interface|class) (\w+)/gm)) inScope.add(m[1]);
  for (const m of source.matchAll(/^import \{([^}]*)\} from/gm)) for (const name of m[1].split(",")) inScope.add(name.trim());
  let getters = 0;
  let methods = 0;
  const text = source.replace(CLASS, (body, className) => {
    const fail = (member, why) => {
      throw new ShapeError(`${file}: ${className}.${member}: ${why}; the generator's output changed shape`);
    };
    // `private _x?: T;`, and a nested block's `private _x = new C(...)` or (lazy) `private get _x(): C`
    const members = new Map();
    for (const m of body.matchAll(/^  private (_\w+)(\??): (.+?); ?$/gm)) members.set(m[1], inferredUnion(m[3], m[2] === "?"));
    for (const m of body.matchAll(/^  private (?:get )?(_\w+)(?: = new |\(\): )(\w+)\b/gm)) members.set(m[1], m[2]);
    const setters = new Set([...body.matchAll(/^  public set (\w+)\(/gm)].map((m) => m[1]));
    let out = body.replace(/^  public get (\w+)\(\) \{\n    return (.+);\n  \}$/gm, (getter, name, expression) => {
      // with a typed setter, tsc takes the accessor's type from the setter
      if (setters.has(name)) return getter;
      let type;
      let m;
      if ((m = /^this\.(_\w+)(?:\$value|\.internalValue)$/.exec(expression))) {
        type = valueTypes.get(members.get(m[1]));
        const outside = type && unionMembers(type).map((t) => t.replace(/\[\]$/, "")).find((t) => !inScope.has(t.split(".")[0]));
        if (outside) fail(name, `${outside} is not in scope`);
      } else if ((m = /^this\.(_\w+)$/.exec(expression))) type = members.get(m[1]);
      else if ((m = /^this\.(get\w+Attribute)\('[^']*'\)$/.exec(expression))) type = ATTRIBUTE_GETTER_TYPES[m[1]];
      else if (/^cdktf\.Fn\.tolist\(this\.getListAttribute\('[^']*'\)\)$/.test(expression)) type = "string[]";
      if (type === undefined) fail(name, `no known type for \`return ${expression}\``);
      getters++;
      return getter.replace("() {", `(): ${inferredUnion(type, false)} {`);
    });
    out = out.replace(/^  public (static )?(\w+)\(([^)\n]*)\) \{\n([\s\S]*?)^ +\}$/gm, (method, isStatic, name, params, methodBody) => {
      if (name === "constructor") return method;
      // the body ends at the first closing brace: a nested block would have ended it early
      if (/\{$/m.test(methodBody)) fail(name, "a method with nested blocks");
      let type;
      if (!/\breturn\b/.test(methodBody)) type = "void";
      else if (isStatic && /^ *return new cdktf\.ImportableResource\(.*\);\n$/.test(methodBody)) type = "cdktf.ImportableResource";
      else fail(name, "a method with an unknown return value");
      methods++;
      return method.replace(`(${params}) {`, `(${params}): ${type} {`);
    });
    return out;
  });
  return { text, getters, methods };
}

// ---------------------------------------------------------------------------------------------------

// the options the bindings have always been compiled with
const compilerOptions = (ts) => ({ target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, declaration: true, strict: true });

/**
 * The .d.ts (with --eager, the .js too), file by file, as ts.transpileDeclaration does (no type checker,
 * imports unresolved). A type-checked program of the same sources spends ~5 s checking them and ~1 s on
 * lib, @types/node and cdktf, for the same .d.ts (byte for byte; `--check` compares). Still fails on
 * syntax errors and on any declaration left to inference.
 *
 * Type errors inside the generated code are not looked for on every install: the sources are a function
 * of the inputs in inputsDigest alone, CI runs `--check` (.ci/run), and the project's own tsc still checks
 * every use of the bindings against their .d.ts.
 */
function emitDeclarations(srcRoot, destRoot) {
  const ts = require("typescript");
  const files = listTs(srcRoot);
  const sources = new Map(files.map((file) => [file, fs.readFileSync(file, "utf8")]));
  const valueTypes = internalValueTypes(sources.values());
  const texts = new Map();
  const stats = { getters: 0, methods: 0 };
  for (const [file, source] of sources) {
    const declared = declareTypes(source, path.relative(srcRoot, file), valueTypes);
    texts.set(file, declared.text);
    stats.getters += declared.getters;
    stats.methods += declared.methods;
  }
  const options = {
    ...compilerOptions(ts),
    rootDir: srcRoot,
    outDir: destRoot,
    // --eager, the generator's code as it was compiled before: tsc emits its .js too (Sucrase would turn its
    // `?.` into helper calls)
    emitDeclarationOnly: !eager,
    isolatedModules: true,
    isolatedDeclarations: true,
    noCheck: true,
    noResolve: true,
    noLib: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  host.readFile = (file) => texts.get(file);
  host.fileExists = () => false; // no module resolution: each file on its own
  // JSDoc is copied as comments, never read: not parsing it saves ~0.3 s
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseNone;
  const program = ts.createProgram(files, options, host);
  const result = program.emit();
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics(), ...result.diagnostics];
  if (check && diagnostics.length === 0) diagnostics.push(...checkedCompile(ts, files, sources, srcRoot, destRoot));
  if (diagnostics.length > 0) {
    const formatHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => srcRoot, getNewLine: () => "\n" };
    throw new Error(ts.formatDiagnostics(diagnostics.slice(0, 20), formatHost));
  }
  return stats;
}

/**
 * --check: the generated sources (without declareTypes) as one type-checked program, as tsc compiles them.
 * Returns its diagnostics; throws if it emits any .d.ts differently from emitDeclarations(). Its .js go
 * to tscJsDir(destRoot), for compareJavaScript.
 */
function checkedCompile(ts, files, sources, srcRoot, destRoot) {
  const options = { ...compilerOptions(ts), rootDir: srcRoot, outDir: destRoot, skipLibCheck: true, types: ["node"] };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile;
  host.readFile = (file) => sources.get(file) ?? readFile(file);
  const program = ts.createProgram(files, options, host);
  const differing = [];
  const result = program.emit(undefined, (file, text) => {
    if (file.endsWith(".js")) {
      const js = path.join(tscJsDir(destRoot), path.relative(destRoot, file));
      fs.mkdirSync(path.dirname(js), { recursive: true });
      fs.writeFileSync(js, text);
    } else if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) {
      differing.push(path.relative(destRoot, file));
    }
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).concat(result.diagnostics);
  if (diagnostics.length === 0 && differing.length > 0) throw new Error(`tsc emits ${differing.join(", ")} differently`);
  return diagnostics;
}

// Helpers Sucrase would add for syntax it lowers: the generated code and the post-processing use none.
const LOWERED_SYNTAX = /\b_(?:optionalChain|asyncOptionalChain|nullishCoalesce|asyncNullishCoalesce)\w*\(/;

/**
 * The .js, file by file, with Sucrase: it removes the types and rewrites the imports and exports to
 * CommonJS as tsc does (class fields keep tsc's assign semantics, exports are plain properties), in a
 * fraction of the time tsc takes to transform and print the same ~9 MB (~0.9 s instead of ~2.5 s), and on
 * the main thread while the worker emits the .d.ts. Nothing is type-checked here either (see above).
 */
function emitJavaScript(srcRoot, destRoot) {
  const { transform } = require("sucrase");
  for (const file of listTs(srcRoot)) {
    const rel = path.relative(srcRoot, file);
    const source = fs.readFileSync(file, "utf8");
    const inStructs = path.basename(path.dirname(file)) === STRUCTS_DIR;
    let code;
    if (inStructs && path.basename(file) === "index.ts") {
      code = lazyStarExports(source, path.dirname(file), rel);
    } else {
      code = transform(source, { transforms: ["typescript", "imports"], filePath: rel }).code;
      // a lowered `?.` or `??` would be a helper call in every mapper and getter: slower than the original
      if (LOWERED_SYNTAX.test(code)) throw new Error(`${rel}: Sucrase lowered syntax into helper calls; write it out in the post-processing`);
      if (inStructs) code = lazyStructRequires(code, rel);
    }
    fs.writeFileSync(path.join(destRoot, rel.replace(/\.ts$/, ".js")), code);
  }
}

// Sucrase's CommonJS for `import { a } from './x'`: one variable per module, every use written `_x.a`
const SIBLING_REQUIRE = /^var (_[\w$]+) = require\('(\.\/[\w-]+)'\);$/gm;

/**
 * 4, in a struct module's JavaScript: each sibling struct module is required when one of its exports is
 * first used, through a function that caches it (`_x().a` for `_x.a`), not when this module loads.
 */
function lazyStructRequires(code, rel) {
  const variables = [];
  let text = code.replace(SIBLING_REQUIRE, (_m, variable, spec) => {
    variables.push(variable);
    return `var ${variable}$module; function ${variable}() { return ${variable}$module === undefined ? (${variable}$module = require('${spec}')) : ${variable}$module; }`;
  });
  if (/require\('\.\/[^']*'\)/.test(text.replace(/\(\w+\$module = require\('\.\//g, ""))) throw new ShapeError(`${rel}: a sibling module required in an unexpected shape`);
  for (const variable of variables) text = text.replace(new RegExp(`(?<![\\w$])${variable.replace(/\$/g, "\\$")}\\.`, "g"), `${variable}().`);
  return text;
}

/**
 * 4, the index of the struct modules (`export * from './x';` each): an export per name of theirs that
 * requires its module on first use. The names are the modules' runtime declarations (functions and
 * classes; interfaces are types only).
 */
function lazyStarExports(source, dir, rel) {
  const lines = ['"use strict";', 'Object.defineProperty(exports, "__esModule", { value: true });'];
  lines.push("function lazy(spec, names) {");
  lines.push("  let loaded;");
  lines.push("  const get = (name) => (loaded === undefined ? (loaded = require(spec)) : loaded)[name];");
  lines.push("  for (const name of names) Object.defineProperty(exports, name, { enumerable: true, configurable: true, get: () => get(name) });");
  lines.push("}");
  for (const line of source.trim().split("\n")) {
    const m = /^export \* from '(\.\/[\w-]+)';$/.exec(line);
    if (!m) throw new ShapeError(`${rel}: ${line}: not an export of a struct module`);
    const declared = fs.readFileSync(path.join(dir, `${m[1]}.ts`), "utf8").matchAll(/^export (?:function|class) (\w+)/gm);
    lines.push(`lazy('${m[1]}', ${JSON.stringify([...declared].map((d) => d[1]))});`);
  }
  return lines.join("\n") + "\n";
}

const tscJsDir = (destRoot) => path.join(destRoot, "..", "tsc-js");

/** What a module exports, as comparable text: names, kinds, and each class's own and prototype members. */
function exportShape(moduleExports) {
  // Sucrase moves field initializers into `__init*` methods, which tsc writes into the constructor
  const members = (object) => Object.getOwnPropertyNames(object).filter((name) => !name.startsWith("__init")).sort().join(",");
  return Object.keys(moduleExports)
    .sort()
    .map((name) => {
      const value = moduleExports[name];
      if (typeof value !== "function") return `${name}: ${typeof value}`;
      return `${name}: function(${value.length}) static {${members(value)}} prototype {${members(value.prototype ?? {})}}`;
    })
    .join("\n");
}

/**
 * --check, for the .js: Sucrase's modules export the same names as tsc's, with the same classes and
 * members. (What they synthesize is compared by the golden test, __tests__/bench/synth-golden.test.ts.)
 */
function compareJavaScript(destRoot) {
  const tscRoot = tscJsDir(destRoot);
  const differing = listFiles(tscRoot, ".js")
    .map((tscFile) => path.relative(tscRoot, tscFile))
    .filter((rel) => exportShape(require(path.join(tscRoot, rel))) !== exportShape(require(path.join(destRoot, rel))));
  if (differing.length > 0) throw new Error(`Sucrase's JavaScript exports differ from tsc's in ${differing.join(", ")}`);
}

/** The output folders, made before the two emitters write into them at the same time. */
function makeOutputDirs(srcRoot, destRoot) {
  for (const file of listTs(srcRoot)) fs.mkdirSync(path.dirname(path.join(destRoot, path.relative(srcRoot, file))), { recursive: true });
}

/**
 * The .d.ts are emitted in a worker thread started before the generator: TypeScript loads meanwhile, and
 * the worker's larger young generation saves ~0.2 s of garbage collection (all files' syntax trees stay
 * alive while they are emitted).
 */
function startDeclarationEmitter() {
  const worker = new Worker(__filename, { argv: process.argv.slice(2), resourceLimits: { maxYoungGenerationSizeMb: 128 } });
  return (srcRoot, destRoot) =>
    new Promise((resolve, reject) => {
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`the declaration emitter worker exited (${code})`)));
      worker.once("message", (reply) => (reply.error ? reject(new Error(reply.error)) : resolve(reply.stats)));
      worker.postMessage({ srcRoot, destRoot });
    });
}

function declarationWorker() {
  require("typescript"); // now, while the main thread generates
  parentPort.once("message", ({ srcRoot, destRoot }) => {
    try {
      parentPort.postMessage({ stats: emitDeclarations(srcRoot, destRoot) });
    } catch (err) {
      parentPort.postMessage({ error: err.message });
    }
  });
}

async function main() {
  const digest = inputsDigest();
  if (!force && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8").trim() === digest) {
    console.log(`bindings in ${path.relative(root, outDir)}/ are up to date`);
    return;
  }
  const started = Date.now();
  const emitDeclarationsInWorker = startDeclarationEmitter();
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
  const src = path.join(work, "src");
  const out = path.join(work, "out");
  let stats;
  let declared;
  let shapeChanged;
  const phases = {};
  try {
    const code = new CodeMaker();
    new TerraformProviderGenerator(code, schema).generate(new ConstructsMakerProviderTarget(constraint, LANGUAGES[0]));
    await code.save(src);
    phases.generate = Date.now() - started;
    if (!eager) {
      try {
        stats = postProcess(src);
      } catch (err) {
        if (!(err instanceof ShapeError)) throw err;
        shapeChanged = err;
      }
    }
    if (shapeChanged) return;
    phases.postProcess = Date.now() - started - phases.generate;
    makeOutputDirs(src, out);
    const declarations = emitDeclarationsInWorker(src, out);
    // if Sucrase throws first, its error is the one reported (and the worker's is not left unhandled)
    declarations.catch(() => undefined);
    if (!eager) {
      try {
        emitJavaScript(src, out);
      } catch (err) {
        if (!(err instanceof ShapeError)) throw err;
        shapeChanged = err;
        return;
      }
    }
    declared = await declarations;
    if (check) compareJavaScript(out);
    phases.compile = Date.now() - started - phases.generate - phases.postProcess;
    // keep the generator's per-resource READMEs beside the compiled bindings
    for (const dir of fs.readdirSync(path.join(src, "providers", "libvirt"))) {
      const readme = path.join(src, "providers", "libvirt", dir, "README.md");
      if (fs.existsSync(readme)) fs.copyFileSync(readme, path.join(out, "providers", "libvirt", dir, "README.md"));
    }
    fs.writeFileSync(path.join(out, path.basename(stampFile)), digest + "\n");
    // swap the finished tree in, so that a concurrent test or synth never sees a half-written .gen/
    fs.mkdirSync(path.dirname(outDir), { recursive: true });
    if (fs.existsSync(outDir)) fs.renameSync(outDir, path.join(work, "old"));
    fs.renameSync(out, outDir);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    if (shapeChanged) {
      console.warn(`generate-bindings: warning: ${shapeChanged.message}; writing the bindings as the generator made them (the same JSON, a slower synth)`);
      execFileSync(process.execPath, [__filename, ...process.argv.slice(2), "--eager"], { stdio: "inherit" });
      process.exit(0);
    }
  }
  const how = eager
    ? "unmodified (--eager)"
    : `${stats.references} nested references made lazy, ${stats.mappers + stats.synthesizers} attribute mappers compacted, ${stats.structModules} struct modules`;
  const types = `${declared.getters + declared.methods} member types declared${check ? ", --check passed" : ""}`;
  console.log(`generated ${path.relative(root, outDir)}/providers/libvirt from ${path.relative(root, schemaFile)} in ${Date.now() - started} ms (${how}; ${types})`);
  // one line for bench/run.ts
  console.log(`phases: generate ${phases.generate} ms, post-process ${phases.postProcess} ms, compile ${phases.compile} ms`);
}

if (isMainThread) {
  main().catch((err) => {
    console.error(`generate-bindings: ${err.stack || err}`);
    process.exit(1);
  });
} else {
  declarationWorker();
}

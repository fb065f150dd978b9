// Transpiles the project's TypeScript (no type check: `npm test` does that) into bench/work/js-<label>/
// with a link to the bindings to measure (as the library's .gen), so that the measured processes run plain JavaScript
// like a built app (`npm run build`), and the eager ("before") and lazy ("after") bindings can be loaded
// by the same code side by side.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

export const ROOT = path.resolve(__dirname, "..");
export const WORK = path.join(ROOT, "bench", "work");
// Generated bindings the benchmark keeps (the unmodified "before" copy, compile timing runs). Not under
// bench/: tsconfig.json includes bench/**/*.ts, which would take in their .d.ts files.
export const GEN_CACHE = path.join(ROOT, "node_modules", ".cache", "cdktf-libvirt-bench");

/** Top-level folders (and files) of the project that hold the app's sources, as in tsconfig.json. */
const SOURCES = ["main.ts", "app", "packages/cdktf-libvirt/src", "deploy", "schema-check", "stack-spec", "scripts", "bench", "examples"];
const LIBRARY = "packages/cdktf-libvirt";

function walk(p: string, files: string[]): void {
  if (!fs.existsSync(p)) return;
  const stat = fs.statSync(p);
  if (stat.isDirectory()) {
    if (p === WORK) return;
    for (const entry of fs.readdirSync(p)) walk(path.join(p, entry), files);
  } else if (p.endsWith(".ts") && !p.endsWith(".d.ts")) {
    files.push(p);
  }
}

/** Writes the JavaScript of the project's sources to `outRoot` and links the library's `.gen` there to `genDir`. */
export function buildJs(outRoot: string, genDir: string): void {
  // from scratch: no JavaScript of a deleted source may linger
  fs.rmSync(outRoot, { recursive: true, force: true });
  const files: string[] = [];
  for (const s of SOURCES) walk(path.join(ROOT, s), files);
  fs.mkdirSync(outRoot, { recursive: true });
  for (const file of files) {
    const rel = path.relative(ROOT, file);
    const { outputText } = ts.transpileModule(fs.readFileSync(file, "utf8"), {
      fileName: file,
      compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, esModuleInterop: true, resolveJsonModule: true },
    });
    const out = path.join(outRoot, rel.replace(/\.ts$/, ".js"));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // the app's imports of the library go to its transpiled sources here, which load the bindings measured
    const library = path.relative(path.dirname(out), path.join(outRoot, LIBRARY, "src")) || ".";
    fs.writeFileSync(out, outputText.replace(/require\("cdktf-libvirt"\)/g, `require(${JSON.stringify(library.startsWith(".") ? library : `./${library}`)})`));
  }
  // JSON imported by the sources (resolveJsonModule), e.g. schemas
  for (const dir of ["schemas", "app", `${LIBRARY}/schemas`]) {
    const from = path.join(ROOT, dir);
    const to = path.join(outRoot, dir);
    fs.rmSync(to, { recursive: true, force: true });
    if (fs.existsSync(from)) fs.symlinkSync(from, to);
  }
  const link = path.join(outRoot, LIBRARY, ".gen");
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(genDir, link);
}

import { readdirSync, readFileSync, statSync } from "fs";
import { join, relative, resolve } from "path";
import * as ts from "typescript";

const root = resolve(__dirname, "..");

function sources(dir: string): string[] {
  const full = join(root, dir);
  if (statSync(full).isFile()) return [full];
  return readdirSync(full, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [join(full, e.name)] : [],
  );
}

/** The top-level folders of the repository that a file's relative imports reach. */
function importedAreas(file: string): Set<string> {
  const text = readFileSync(file, "utf8");
  const areas = new Set<string>();
  for (const match of text.matchAll(/(?:from\s+|require\()\s*["'](\.[^"']*)["']/g)) {
    const target = relative(root, resolve(file, "..", match[1]));
    areas.add(target.split("/")[0]);
  }
  return areas;
}

const LIBRARY = "packages/cdktf-libvirt";

/** What a library file's relative imports reach, inside the library: "src", ".gen" or something else. */
function libraryAreas(file: string): Set<string> {
  const text = readFileSync(file, "utf8");
  const areas = new Set<string>();
  for (const match of text.matchAll(/(?:from\s+|require\()\s*["'](\.[^"']*)["']/g)) {
    const target = relative(join(root, LIBRARY), resolve(file, "..", match[1]));
    areas.add(target.startsWith("..") ? target : target.split("/")[0]);
  }
  return areas;
}

describe("architecture", () => {
  // product code; bench/ (its baseline is written against the bindings on purpose) and tests may differ
  const product = ["main.ts", "stack-spec", "deploy", "schema-check", "scripts", "examples"];

  test.each(product)("%s uses the construct library only through its entry point (\"cdktf-libvirt\"), never its files or bindings", (area) => {
    for (const file of sources(area)) expect({ file: relative(root, file), reaches: importedAreas(file).has("packages") }).toEqual({ file: relative(root, file), reaches: false });
  });

  test("the library's sources import nothing of the app around them, only each other and the bindings", () => {
    for (const file of sources(`${LIBRARY}/src`)) {
      const outside = [...libraryAreas(file)].filter((a) => a !== "src" && a !== ".gen");
      expect({ file: relative(root, file), outside }).toEqual({ file: relative(root, file), outside: [] });
    }
  });

  test("deploy/ imports neither the construct library nor the bindings", () => {
    for (const file of sources("deploy")) {
      const text = readFileSync(file, "utf8");
      expect({ file: relative(root, file), library: /(?:from\s+|require\()\s*["']cdktf-libvirt["']/.test(text), packages: importedAreas(file).has("packages") }).toEqual({
        file: relative(root, file),
        library: false,
        packages: false,
      });
    }
  });

  test("the library's public declarations name no generated type", () => {
    const program = ts.createProgram([join(root, LIBRARY, "src/index.ts")], {
      declaration: true,
      emitDeclarationOnly: true,
      stripInternal: true,
      skipLibCheck: true,
      strict: true,
      types: ["node"],
      rootDir: join(root, LIBRARY),
      outDir: "/nonexistent",
    });
    const emitted: Record<string, string> = {};
    program.emit(undefined, (fileName, text) => {
      emitted[relative("/nonexistent", fileName)] = text;
    });
    const files = Object.keys(emitted).filter((f) => f.startsWith("src/"));
    expect(files).toContain("src/virtual-machine.d.ts");
    for (const file of files) expect({ file, mentionsGen: emitted[file].includes(".gen/") }).toEqual({ file, mentionsGen: false });
  });
});

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

/** The top-level folders (or .gen) that a file's relative imports reach. */
function importedAreas(file: string): Set<string> {
  const text = readFileSync(file, "utf8");
  const areas = new Set<string>();
  for (const match of text.matchAll(/(?:from\s+|require\()\s*["'](\.[^"']*)["']/g)) {
    const target = relative(root, resolve(file, "..", match[1]));
    areas.add(target.split("/")[0]);
  }
  return areas;
}

describe("architecture", () => {
  // product code; bench/ (its baseline is written against the bindings on purpose) and tests may differ
  const product = ["main.ts", "spec", "deploy", "schema-check", "scripts", "examples"];

  test.each(product)("%s does not import the generated bindings (only constructs/ does)", (area) => {
    for (const file of sources(area)) expect({ file: relative(root, file), gen: importedAreas(file).has(".gen") }).toEqual({ file: relative(root, file), gen: false });
  });

  test("constructs/ imports nothing of the app around it", () => {
    for (const file of sources("constructs")) {
      const outside = [...importedAreas(file)].filter((a) => a !== "constructs" && a !== ".gen");
      expect({ file: relative(root, file), outside }).toEqual({ file: relative(root, file), outside: [] });
    }
  });

  test("deploy/ imports neither constructs/ nor the bindings", () => {
    for (const file of sources("deploy")) {
      const areas = importedAreas(file);
      expect({ file: relative(root, file), constructs: areas.has("constructs"), gen: areas.has(".gen") }).toEqual({
        file: relative(root, file),
        constructs: false,
        gen: false,
      });
    }
  });

  test("the constructs' public declarations name no generated type", () => {
    const program = ts.createProgram([join(root, "constructs/index.ts")], {
      declaration: true,
      emitDeclarationOnly: true,
      stripInternal: true,
      skipLibCheck: true,
      strict: true,
      types: ["node"],
      rootDir: root,
      outDir: "/nonexistent",
    });
    const emitted: Record<string, string> = {};
    program.emit(undefined, (fileName, text) => {
      emitted[relative("/nonexistent", fileName)] = text;
    });
    const files = Object.keys(emitted).filter((f) => f.startsWith("constructs/"));
    expect(files).toContain("constructs/virtual-machine.d.ts");
    for (const file of files) expect({ file, mentionsGen: emitted[file].includes(".gen/") }).toEqual({ file, mentionsGen: false });
  });
});

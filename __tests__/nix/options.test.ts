// The module's spec options are generated from the spec's zod schema (stack-spec/nix-options.ts): one
// definition of each key. These pin that the committed file is what the schema gives, and that every
// spec field reaches NixOS.
import * as fs from "fs";
import * as path from "path";
import { nixOptionsText, posixPattern } from "../../stack-spec";
import { Size } from "cdktf-libvirt";
import { NIX_DIR, nixEval, nixFile, ROOT } from "./helpers";

const committed = fs.readFileSync(path.join(NIX_DIR, "options.nix"), "utf8");

test("nix/options.nix is what stack-spec/schema.ts generates (npm run spec-schema writes it)", () => {
  expect(committed).toBe(nixOptionsText());
});

test("every field of the spec's JSON Schema is an option there", () => {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const obj = node as Record<string, unknown>;
      if (obj.properties && typeof obj.properties === "object") Object.keys(obj.properties).forEach((k) => names.add(k));
      Object.values(obj).forEach(walk);
    }
  };
  walk(JSON.parse(fs.readFileSync(path.join(ROOT, "schemas", "spec.schema.json"), "utf8")));
  const fields = [...names].filter((n) => !["$schema", "stacks", "hosts"].includes(n));
  expect(fields.length).toBeGreaterThan(40);
  expect(fields.filter((n) => !new RegExp(`^\\s*${n} = mkOption`, "m").test(committed))).toEqual([]);
});

test("the patterns Nix checks with are the spec's, and accept and refuse what the JavaScript ones do", () => {
  const r = nixEval<{ label: boolean[]; size: boolean[] }>(`
    let o = import ${nixFile("nix/options.nix")} { lib = null; };
        size = ${JSON.stringify(posixPattern(Size.PATTERN.source))};
    in {
      label = map (s: builtins.match o.patterns.label s != null) [ "web-1" "a" "Web" "-web" "web-" "${"a".repeat(63)}" "${"a".repeat(64)}" ];
      size = map (s: builtins.match size s != null) [ "2048 MiB" " 1.5 GiB " "100GiB" "2 GB" "MiB" "2048" ];
    }`);
  expect(r.label).toEqual([true, true, false, false, false, true, false]);
  expect(r.size).toEqual([true, true, true, false, false, false]);
  expect(() => posixPattern("^\\w+$")).toThrow("cannot translate the pattern /^\\w+$/ to a POSIX regex for Nix");
});

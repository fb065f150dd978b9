// npm run spec-schema: writes what is generated from the spec's zod schema in stack-spec/: its JSON
// Schema (schemas/spec.schema.json) and the NixOS module's options (nix/options.nix).
import { writeFileSync } from "fs";
import { join } from "path";
import { nixOptionsText, specJsonSchemaText } from "../stack-spec";

for (const [file, text] of [
  [join(__dirname, "..", "schemas", "spec.schema.json"), specJsonSchemaText()],
  [join(__dirname, "..", "nix", "options.nix"), nixOptionsText()],
] as const) {
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}

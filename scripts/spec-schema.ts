// Writes schemas/spec.schema.json from the zod schema in stack-spec/ (npm run spec-schema).
import { writeFileSync } from "fs";
import { join } from "path";
import { specJsonSchemaText } from "../stack-spec";

const file = join(__dirname, "..", "schemas", "spec.schema.json");
writeFileSync(file, specJsonSchemaText());
console.log(`wrote ${file}`);

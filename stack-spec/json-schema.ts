import { z } from "zod";
import { specSchema } from "./schema";

/** The spec's JSON Schema, generated from the same zod schema that validates spec files. */
export function specJsonSchema(): Record<string, unknown> {
  return {
    $id: "https://cdktf-libvirt.invalid/schemas/spec.schema.json",
    title: "cdktf-libvirt spec",
    ...z.toJSONSchema(specSchema, { target: "draft-2020-12" }),
  };
}

/** The committed file's exact text, so that a test can tell when it is stale. */
export function specJsonSchemaText(): string {
  return `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
}

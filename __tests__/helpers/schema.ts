import { checkStack, loadProviderSchemas, type ProviderSchemas } from "../../schema-check";

// The schema file is 2.4 MB; parse and index it once per test file.
let schemas: ProviderSchemas | undefined;

/**
 * Throws an Error listing every schema issue of a synthesized stack (Testing.synth output,
 * as JSON text or parsed), so construct tests fail on what Terraform would reject.
 */
export function expectValidAgainstProviderSchema(synthesizedJson: string | object): void {
  const stack: unknown = typeof synthesizedJson === "string" ? JSON.parse(synthesizedJson) : synthesizedJson;
  schemas ??= loadProviderSchemas();
  const issues = checkStack(stack, schemas);
  if (issues.length > 0) {
    const lines = issues.map((issue) => `  ${issue.message}`).join("\n");
    throw new Error(`stack does not match the provider schema (${issues.length} issue(s)):\n${lines}`);
  }
}

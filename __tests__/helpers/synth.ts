import { TerraformStack, Testing } from "cdktf";
import { LibvirtStack } from "cdktf-libvirt";
import { expectValidAgainstProviderSchema } from "./schema";

/** A stack synthesized with validations on and checked against the provider schema, as JSON text and parsed. */
export interface Synthesized {
  readonly json: string;
  readonly tf: any;
}

/** Builds a stack in a test app, synthesizes it with validations (cdktf skips them unless asked) and checks the schema. */
export function synth(build: (stack: TerraformStack) => void): Synthesized {
  const app = Testing.app();
  const stack = new LibvirtStack(app, "test");
  build(stack);
  return synthStack(stack);
}

export function synthStack(stack: TerraformStack): Synthesized {
  const json = Testing.synth(stack, true);
  expectValidAgainstProviderSchema(json);
  return { json, tf: JSON.parse(json) };
}

/** The resources of one type, keyed by Terraform name, without cdktf's metadata. */
export function resources(tf: any, type: string): Record<string, any> {
  const found = (tf.resource?.[type] ?? {}) as Record<string, any>;
  return Object.fromEntries(Object.entries(found).map(([name, body]) => [name, withoutMetadata(body)]));
}

export function withoutMetadata(body: any): any {
  const { ["//"]: _metadata, ...rest } = body;
  return rest;
}

/** Runs `build` and returns the message it throws (validation errors included), or fails the test. */
export function errorOf(build: (stack: TerraformStack) => void): string {
  try {
    synth(build);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected a validation error, but synth succeeded");
}

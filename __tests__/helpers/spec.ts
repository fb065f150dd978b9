import { readFileSync } from "fs";
import { join, resolve } from "path";

const DEFAULT_SPEC = JSON.parse(readFileSync(join(resolve(__dirname, "../.."), "app/default.spec.json"), "utf8"));

/** A fresh copy of the default (testvm) spec, for a test to edit. */
export function testvmSpec(): any {
  return structuredClone(DEFAULT_SPEC);
}

/** The default spec with `patch` on its VM. */
export function withVm(patch: object): any {
  const spec = testvmSpec();
  Object.assign(spec.stacks.testvm.hosts.local.vms.testvm, patch);
  return spec;
}

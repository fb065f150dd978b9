// Retained resources (RemovalPolicy.RETAIN, rendered as prevent_destroy) that leave the configuration
// are forgotten, not deleted: terraform drops them from its state and leaves them in libvirt, where the
// data stays. A `removed` block with `lifecycle.destroy = false` per address (Terraform >= 1.7,
// OpenTofu >= 1.9) says so in the working copy of the stack; the synthesized JSON is left as it is.
import type { Marks } from "./stack-marks";
import type { PlanJson } from "./plan-check";

/** Addresses the plan deletes only because the configuration no longer has them, and that were retained. */
export function retainedRemovals(plan: PlanJson, marks: Marks, allowDestroy: readonly string[]): string[] {
  return (plan.resource_changes ?? [])
    .filter(
      (rc) =>
        !rc.deposed &&
        rc.change.actions.join(",") === "delete" &&
        rc.action_reason === "delete_because_no_resource_config" &&
        marks.get(rc.address)?.retained === true &&
        !allowDestroy.includes(rc.address),
    )
    .map((rc) => rc.address);
}

/** The stack JSON with a `removed` block (keep the object, drop it from the state) for each address. */
export function withRemovedBlocks(stackJson: string, addresses: readonly string[]): string {
  const stack = JSON.parse(stackJson) as Record<string, unknown>;
  const existing = Array.isArray(stack.removed) ? stack.removed : [];
  stack.removed = [...existing, ...addresses.map((from) => ({ from, lifecycle: { destroy: false } }))];
  return `${JSON.stringify(stack, null, 2)}\n`;
}

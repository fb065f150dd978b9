// The stacks the benchmark measures, by kind: the constructs fleet, the bindings baseline, or nothing.
import { App, TerraformStack } from "cdktf";

export type BenchKind = "fleet" | "baseline" | "empty";
export const BENCH_KINDS: readonly BenchKind[] = ["fleet", "baseline", "empty"];

/** The stack's id: the fleet and its baseline share it, so that they synthesize the same JSON. */
export function stackId(kind: BenchKind, vms: number): string {
  return kind === "empty" ? "empty" : `fleet-${vms}`;
}

// Each kind loads only its own modules: their load time is part of what is measured.
export function buildStack(app: App, kind: BenchKind, vms: number): TerraformStack {
  const id = stackId(kind, vms);
  switch (kind) {
    case "fleet": {
      const { FleetStack } = require("./stacks") as typeof import("./stacks");
      return new FleetStack(app, id, vms);
    }
    case "baseline": {
      const { BaselineFleetStack } = require("./baseline-app") as typeof import("./baseline-app");
      return new BaselineFleetStack(app, id, vms);
    }
    case "empty":
      return new TerraformStack(app, id);
    default:
      throw new Error(`unknown bench kind "${kind}" (one of ${BENCH_KINDS.join(", ")})`);
  }
}

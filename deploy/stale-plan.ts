import { errorDiagnostics } from "./provider-quirks";

/**
 * Whether an apply refused the saved plan because the state changed after it was made: with a shared
 * backend (pg, s3), another machine applied in between. terraform applies nothing then, so planning
 * again on the new state is safe.
 */
export function isStalePlan(stderr: string): boolean {
  const errors = errorDiagnostics(stderr);
  return errors.length > 0 && errors.every((e) => e.summary === "Saved plan is stale");
}

/** How often deploy plans again after a stale plan before it gives up: each retry follows a real apply elsewhere. */
export const STALE_PLAN_RETRIES = 3;

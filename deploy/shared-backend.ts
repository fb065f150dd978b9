// What a state shared with other machines (the pg or s3 backend) does to a run that the local backend
// never shows: another deploy got there first. Pure: takes the tool's output, returns data.
import { errorDiagnostics } from "./provider-quirks";

/**
 * Whether an apply refused the saved plan because the state changed after it was made: another machine
 * applied in between. terraform applies nothing then, so planning again on the new state is safe.
 */
export function isStalePlan(stderr: string): boolean {
  const errors = errorDiagnostics(stderr);
  return errors.length > 0 && errors.every((e) => e.summary === "Saved plan is stale");
}

/** How often deploy plans again after a stale plan before it gives up: each retry follows a real apply elsewhere. */
export const STALE_PLAN_RETRIES = 3;

/**
 * Whether init failed only because another machine's init created the pg backend's schema or table at
 * the same moment (its CREATE ... IF NOT EXISTS races in PostgreSQL's catalog): the objects exist now,
 * and a second init finds them.
 */
export function isConcurrentBackendSetup(stderr: string): boolean {
  const errors = errorDiagnostics(stderr);
  // the catalog's own unique indexes (pg_type_typname_nsp_index, pg_namespace_nspname_index) are pg_*
  return errors.length > 0 && errors.every((e) => /^pq: duplicate key value violates unique constraint "pg_\w+_index"$/.test(e.summary));
}

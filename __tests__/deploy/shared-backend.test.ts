// The two ways another machine on a shared backend gets in a run's way, as terraform reports them.
import { isConcurrentBackendSetup, isStalePlan } from "../../deploy/shared-backend";

const box = (summary: string, detail = "") => `╷\n│ Error: ${summary}\n│ \n│ ${detail}\n╵\n`;

test("a stale saved plan, alone", () => {
  expect(isStalePlan(box("Saved plan is stale", "The given plan file can no longer be applied because the state was changed by another operation after the plan was created."))).toBe(true);
  expect(isStalePlan(box("Saved plan is stale") + box("Provider produced inconsistent result after apply"))).toBe(false);
  expect(isStalePlan("")).toBe(false);
});

test("two inits creating the pg backend's schema or table at once (PostgreSQL's catalog indexes), and nothing else", () => {
  expect(isConcurrentBackendSetup(`Initializing the backend...\n${box('pq: duplicate key value violates unique constraint "pg_type_typname_nsp_index"')}`)).toBe(true);
  expect(isConcurrentBackendSetup(box('pq: duplicate key value violates unique constraint "pg_namespace_nspname_index"'))).toBe(true);
  expect(isConcurrentBackendSetup(box('pq: duplicate key value violates unique constraint "states_pkey"'))).toBe(false);
  expect(isConcurrentBackendSetup(box('pq: password authentication failed for user "deploy"'))).toBe(false);
});

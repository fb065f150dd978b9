// Imports in a plan: an `import` block (VirtualMachine importUuid and the like) adopts an existing object
// into the state. `show -json` marks such a change with change.importing (terraform and tofu >= 1.5);
// its actions say what happens to the object once adopted: no-op, an update, or even a replace, which
// destroys the adopted object and is checked like any other.
import type { ResourceChange } from "./plan-check";

/** The id `rc` imports, when it adopts an existing object ("" when the plan gives none, e.g. an identity). */
export function importedId(rc: ResourceChange): string | undefined {
  const importing = rc.change.importing;
  if (importing === undefined || importing === null) return undefined;
  return typeof importing.id === "string" ? importing.id : "";
}

/** How a change's line starts: "i" before the kind's symbol for an import ("i" alone when nothing else changes). */
export function importMark(importId: string | undefined, symbol: string): string {
  return importId === undefined ? symbol : `i${symbol.trim()}`;
}

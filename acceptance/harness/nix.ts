// The NixOS unit's own view of a scenario: nix/unit.nix (builtins only) evaluated by the real Nix, so a
// scenario runs deploy with the URI, environment and credentials the module would give the unit.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { ROOT } from "./parts";

/** `nix-instantiate --eval --strict --json` of an expression. */
export function nixEval<T>(expression: string): T {
  const r = spawnSync("nix-instantiate", ["--eval", "--strict", "--json", "--expr", expression], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`nix-instantiate failed (${r.error ?? r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** A Nix path expression for a file of this repository. */
export function repoFile(relative: string): string {
  return path.join(ROOT, relative);
}

/**
 * nix/unit.nix for a stack with these further values (Nix attribute text, e.g. `uri = "…";`), and the
 * attributes of the result named by `pick` (a Nix expression over `unit`).
 */
export function unitNix<T>(values: string, pick: string): T {
  return nixEval<T>(`let
    unit = import ${repoFile("nix/unit.nix")} {
      stack = "acceptance"; deployProgram = "deploy"; tofuProgram = "tofu"; specFile = "/spec.json";
      ${values}
    };
  in ${pick}`);
}

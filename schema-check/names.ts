import type { SchemaAttribute } from "./types";

/**
 * A likely intended name: the snake_case form of a camelCase key (escape hatches and
 * `ignoreChanges` in cdktf take raw Terraform names), else a unique near miss.
 */
export function suggestName(name: string, candidates: readonly string[]): string | undefined {
  const snake = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  if (snake !== name && candidates.includes(snake)) return snake;
  const limit = name.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  let tie = false;
  for (const candidate of candidates) {
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance) {
      tie = true;
    }
  }
  return best !== undefined && !tie ? best : undefined;
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * Where an attribute of this name exists further down (e.g. volume `format` lives at
 * `target.format`), up to `depth` levels; more than `limit` places is no useful hint.
 */
export function nestedLocations(
  name: string,
  attributes: Readonly<Record<string, SchemaAttribute>>,
  depth = 2,
  limit = 3
): string[] | undefined {
  const found: string[] = [];
  const walk = (attrs: Readonly<Record<string, SchemaAttribute>>, prefix: string, level: number): void => {
    for (const [key, attribute] of Object.entries(attrs)) {
      const nested = attribute.nested_type?.attributes;
      if (!nested || level >= depth) continue;
      const mode = attribute.nested_type?.nesting_mode;
      const here = `${prefix}${key}${mode === "list" || mode === "set" ? "[]" : ""}.`;
      if (nested[name]) found.push(`${here}${name}`);
      walk(nested, here, level + 1);
    }
  };
  walk(attributes, "", 0);
  return found.length > 0 && found.length <= limit ? found : undefined;
}

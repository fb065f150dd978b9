import { IConstruct } from "constructs";

/**
 * Spec keys become construct ids, and construct ids are one namespace per parent: a pool and a network
 * both keyed "default" on one host, an image keyed like a VM, a host keyed "backend" (the stack's
 * backend) or a key such as "constructor" (the constructs library keeps children in a plain object)
 * would fail in the constructs library with no spec path. Ids are not namespaced per collection, because
 * that would change the construct paths every Terraform name and libvirt default name is made from.
 * Returns `path: message` for each key that cannot be an id of `scope`'s children.
 */
export function constructIdProblems(scope: IConstruct, keys: readonly { readonly key: string; readonly path: string }[]): string[] {
  const taken = new Map<string, string>();
  return keys.flatMap(({ key, path }) => {
    const earlier = taken.get(key);
    if (earlier !== undefined) {
      return [`${path}: its key is also ${earlier}'s; keys must differ across one parent's collections, because each becomes a construct id there (rename one; a pool's or network's libvirt name can be set with "name")`];
    }
    taken.set(key, path);
    const problem = idProblem(scope, key);
    return problem === undefined ? [] : [`${path}: ${problem}`];
  });
}

/** Why `key` cannot be the id of a new child of `scope`, or undefined. */
export function idProblem(scope: IConstruct | undefined, key: string): string | undefined {
  if (key === "") return "an empty key cannot be a construct id";
  if (key in Object.prototype) return `"${key}" cannot be a key: the constructs library reserves it (a property of JavaScript objects)`;
  const child = scope?.node.tryFindChild(key);
  return child === undefined ? undefined : `"${key}" cannot be a key here: ${child.node.path} has that construct id`;
}

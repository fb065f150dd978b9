import { IConstruct } from "constructs";
import { TerraformDataSource, TerraformElement, TerraformOutput, TerraformResource, TerraformStack } from "cdktf";
import { ValidationError } from "./errors";

// Terraform address -> the construct that named an element so (its path is read only for the error)
const TAKEN = new WeakMap<TerraformStack, Map<string, IConstruct>>();
// a VM names four elements after itself: its path is walked once
const BASE_NAMES = new WeakMap<IConstruct, string>();

/** A path part as it may appear in a Terraform name. */
function namePart(part: string): string {
  return part.replace(/[^A-Za-z0-9-]/g, "_");
}

/** The construct path of `owner` below `stack`, parts joined with "_". */
function baseName(owner: IConstruct, stack: TerraformStack): string {
  let name = BASE_NAMES.get(owner);
  if (name === undefined) {
    const scopes = owner.node.scopes;
    name = scopes.slice(scopes.indexOf(stack) + 1).map((s) => namePart(s.node.id)).join("_");
    BASE_NAMES.set(owner, name);
  }
  return name;
}

/**
 * Gives `element` a readable, stable Terraform name from the construct path of `owner` below the stack,
 * e.g. `local_testvm` for stack/local/testvm, so that addresses like `libvirt_domain.local_testvm` can be
 * written in allow-lists by hand (cdktf's default appends a hash nobody can guess). Path parts are joined
 * with "_", so two paths can meet on one name ("a_b" and "a/b"); that is refused, because in the JSON
 * the second resource would silently replace the first. Returns the name.
 */
export function nameElement(element: TerraformResource | TerraformDataSource | TerraformOutput, owner: IConstruct, suffix?: string): string {
  const stack = TerraformStack.of(owner);
  const base = baseName(owner, stack);
  const joined = suffix ? `${base}_${namePart(suffix)}` : base;
  // Terraform names must not start with a digit; host labels may
  const name = /^[0-9]/.test(joined) ? `_${joined}` : joined;

  const kind = TerraformOutput.isTerraformOutput(element) ? "output" : `${element instanceof TerraformDataSource ? "data." : ""}${element.terraformResourceType}`;
  if (!TAKEN.has(stack)) TAKEN.set(stack, new Map());
  const taken = TAKEN.get(stack)!;
  const earlier = taken.get(`${kind}.${name}`);
  if (earlier !== undefined) {
    throw new ValidationError(owner.node.path, [{ field: "id", message: `its Terraform name ${kind}.${name} is already used by ${earlier.node.path}; rename one of the two` }]);
  }
  taken.set(`${kind}.${name}`, owner);
  (element as TerraformElement).overrideLogicalId(name);
  return name;
}

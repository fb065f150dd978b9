import { IConstruct } from "constructs";
import { TerraformStack } from "cdktf";

/**
 * A readable, stable Terraform resource name from the construct path below the stack, e.g.
 * `local_testvm` for stack/local/testvm, so that addresses like `libvirt_domain.local_testvm` can be
 * written in allow-lists by hand. cdktf's default appends a hash that nobody can guess.
 */
export function resourceName(scope: IConstruct, suffix?: string): string {
  const stack = TerraformStack.of(scope);
  const below = scope.node.scopes.slice(scope.node.scopes.indexOf(stack) + 1).map((s) => s.node.id);
  if (suffix) below.push(suffix);
  const name = below.map((part) => part.replace(/[^A-Za-z0-9-]/g, "_")).join("_");
  // Terraform names must not start with a digit; host labels may
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

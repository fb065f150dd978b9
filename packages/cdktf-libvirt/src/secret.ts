import { IConstruct } from "constructs";
import { TerraformStack, TerraformVariable } from "cdktf";
import { ValidationError } from "./errors";

/**
 * A value that must not be written into the configuration (or the Nix store): a sensitive Terraform
 * variable, set at apply time through `TF_VAR_<name>` (the deploy unit reads it from a systemd credential).
 */
export class Secret {
  /** The sensitive variable `name` of the stack that `scope` is in, declared once however often it is used. */
  public static fromVariable(scope: IConstruct, name: string): Secret {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) {
      throw new ValidationError(scope.node.path, [{ field: "secret", message: `"${name}" must be a variable name of lowercase letters, digits and "_"` }]);
    }
    const stack = TerraformStack.of(scope);
    const id = `secret_${name}`;
    const variable =
      (stack.node.tryFindChild(id) as TerraformVariable | undefined) ??
      new TerraformVariable(stack, id, { type: "string", sensitive: true, description: `secret ${name}, from TF_VAR_${name}` });
    variable.overrideLogicalId(name);
    return new Secret(name, `\${var.${name}}`);
  }

  private constructor(
    /** The variable's name: deploy passes it as TF_VAR_<name>. */
    public readonly name: string,
    /** @internal the Terraform expression of the value */
    public readonly _expression: string,
  ) {}
}

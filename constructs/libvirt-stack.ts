import { Construct } from "constructs";
import { LocalBackend, TerraformStack } from "cdktf";

/**
 * A stack whose state file is `terraform.tfstate` in the directory Terraform runs in. cdktf's default
 * backend writes the absolute path of the machine that synthesized, which would point deploy at a
 * read-only Nix store path and make the output differ between machines.
 */
export class LibvirtStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new LocalBackend(this, { path: "terraform.tfstate" });
  }
}

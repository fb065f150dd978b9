import { Construct } from "constructs";
import { LocalBackend, TerraformStack } from "cdktf";
import { withPlainResolve } from "./plain-resolve";
import { untraced } from "./untraced";

interface StackMetadata {
  readonly stackName?: string;
  readonly overrides?: { readonly stack?: string[] };
}

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

  /**
   * cdktf's preparation resolves the whole configuration once, only to discover references to other
   * stacks; at a thousand VMs that pass costs as much as the synthesis itself. An app with this single
   * stack can hold no such reference, so the pass is skipped there (the output is the same).
   */
  public prepareStack(): void {
    const stacks = this.node.root.node.findAll().filter(TerraformStack.isStack);
    if (stacks.length === 1) this.ensureBackendExists();
    else super.prepareStack();
  }

  /**
   * The same document as cdktf's, with values that hold no token copied directly instead of through
   * cdktf's generic resolver (see plain-resolve.ts), and without stack traces for tokens made on the
   * way: at a thousand VMs that halves synthesis.
   */
  public toTerraform(): any {
    return untraced(() => withPlainResolve(() => super.toTerraform(), (obj) => resolvedSections(this, obj)));
  }
}

/**
 * cdktf's toTerraform resolves every element's metadata and fragment, then the document it merged them
 * into. Every section of that document but "//" (cdktf's metadata) merges fragments resolved already,
 * unless overrides on the stack itself were merged in too: those sections need no second pass.
 */
function resolvedSections(stack: TerraformStack, obj: unknown): ReadonlySet<string> | undefined {
  const metadata = typeof obj === "object" && obj !== null ? (obj as { "//"?: { metadata?: StackMetadata } })["//"]?.metadata : undefined;
  if (metadata?.stackName !== stack.node.id || metadata.overrides?.stack !== undefined) return undefined;
  return new Set(Object.keys(obj as object).filter((key) => key !== "//"));
}

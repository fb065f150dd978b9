import * as fs from "fs";
import * as path from "path";
import { Construct } from "constructs";
import { IStackSynthesizer, ISynthesisSession, TerraformStack } from "cdktf";
import { resolvedSections, untraced, writesStackJson } from "./framework";
import { withPlainResolve } from "./plain-resolve";
import { StateBackend } from "./state-backend";
import { stackJson } from "./stack-json";

export interface LibvirtStackProps {
  /** Where the state lives. @default StateBackend.local() */
  readonly backend?: StateBackend;
}

/**
 * A stack whose state file is, by default, `terraform.tfstate` in the directory Terraform runs in.
 * cdktf's default backend writes the absolute path of the machine that synthesized, which would point
 * deploy at a read-only Nix store path and make the output differ between machines.
 */
export class LibvirtStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: LibvirtStackProps = {}) {
    super(scope, id);
    (props.backend ?? StateBackend.local())._attach(this);
    // otherwise the framework writes the JSON itself (bench/golden.ts compares both)
    if (writesStackJson()) this.synthesizer = new StackJsonWriter(this, this.synthesizer);
    this.synthesizer = new ValidatingAllFirst(this, this.synthesizer);
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
    const document = untraced(() => withPlainResolve(() => super.toTerraform(), (obj) => resolvedSections(this, obj)));
    const synthesis = synthesizing.get(this);
    if (synthesis === undefined) return document;
    // cdktf's synthesizer gets an empty document to print; StackJsonWriter prints the real one
    synthesis.document = document;
    return {};
  }
}

/** The synthesis sessions (one per app.synth()) whose stacks were all validated. */
const validated = new WeakSet<ISynthesisSession>();

/**
 * cdktf validates each stack just before it writes it, so a second stack's bad input would fail the
 * synthesis after the first stack was written. The first stack to synthesize validates them all.
 */
class ValidatingAllFirst implements IStackSynthesizer {
  constructor(
    private readonly stack: LibvirtStack,
    private readonly next: IStackSynthesizer,
  ) {}

  public synthesize(session: ISynthesisSession): void {
    if (!session.skipValidation && !validated.has(session)) {
      validated.add(session);
      const stacks = this.stack.node.root.node.findAll().filter(TerraformStack.isStack);
      // a single stack validates itself before it is written
      if (stacks.length > 1) for (const stack of stacks) stack.runAllValidations();
    }
    this.next.synthesize(session);
  }
}

/** The stacks whose cdktf synthesizer runs, with the document their toTerraform made for it. */
const synthesizing = new WeakMap<LibvirtStack, { document?: unknown }>();

/**
 * cdktf's synthesizer, whose JSON file is then written again by stackJson: the same bytes as cdktf's
 * json-stable-stringify in less than half the time (~0.1 s at a thousand VMs). Everything else (aspects,
 * validations, annotations, the manifest, HCL output) stays cdktf's.
 */
class StackJsonWriter implements IStackSynthesizer {
  constructor(
    private readonly stack: LibvirtStack,
    private readonly cdktfSynthesizer: IStackSynthesizer,
  ) {}

  public synthesize(session: ISynthesisSession): void {
    const synthesis: { document?: unknown } = {};
    synthesizing.set(this.stack, synthesis);
    try {
      this.cdktfSynthesizer.synthesize(session);
    } finally {
      synthesizing.delete(this.stack);
    }
    // none with SYNTH_HCL_OUTPUT: cdktf wrote HCL instead
    const document = synthesis.document;
    if (document === undefined) return;
    const file = path.join(session.outdir, session.manifest.forStack(this.stack).synthesizedStackPath);
    fs.writeFileSync(file, stackJson(document));
  }
}

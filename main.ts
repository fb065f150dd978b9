import { existsSync, rmSync } from "fs";
import { App } from "cdktf";
import { ValidationError } from "cdktf-libvirt";
import defaultSpec from "./app/default.spec.json";
import { buildStacks, loadSpec, parseSpec, SpecError } from "./stack-spec";

/** Environment variable naming a JSON spec file to synthesize instead of the default stack (app/default.spec.json). */
export const SPEC_ENV = "CDKTF_LIBVIRT_SPEC";

/** What the stacks' validations (rules that need the whole tree) found, each as `[construct/path] message`. */
class InvalidStacks extends Error {}

function main(): void {
  const specFile = process.env[SPEC_ENV];
  // set but empty is a mistake (an unset Nix option, a typo in a unit file), not a wish for the default stack
  if (specFile === "") throw new SpecError(`${SPEC_ENV} is set but empty: name a spec file, or unset it to synthesize the default stack`);
  // read the spec before the App exists: the App creates its output folder as soon as it is constructed
  const spec = specFile !== undefined ? loadSpec(specFile) : parseSpec(defaultSpec, "app/default.spec.json");
  // the App creates its output folder when constructed; remove it again if synth fails and it was new
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const createdOutdir = !existsSync(outdir);
  const app = new App({ outdir });
  try {
    buildStacks(app, spec);
    // every validation of every stack before any file is written: a bad second stack must not leave a
    // first one behind. Printed as they are, without cdktf's advice to skip validation.
    const problems = app.node.findAll().flatMap((c) => c.node.validate().map((message) => `[${c.node.path}] ${message}`));
    if (problems.length > 0) throw new InvalidStacks(problems.join("\n"));
  } catch (err) {
    if (createdOutdir) rmSync(app.outdir, { recursive: true, force: true });
    throw err;
  }
  app.synth();
}

// the process ends on its own, with process.exitCode: process.exit right after a long write to a pipe
// would cut the message where the pipe's buffer (64 KiB) ended
try {
  main();
} catch (err) {
  // bad input, or an output folder that cannot be written (a file system error carries its code)
  if (err instanceof SpecError || err instanceof ValidationError || err instanceof InvalidStacks || typeof (err as NodeJS.ErrnoException).code === "string") {
    console.error((err as Error).message);
    process.exitCode = 1;
  } else {
    // anything else is a bug here (bad input should have been refused above): the stack, for a report
    console.error(`internal error (a bug in cdktf-libvirt; please report it with what follows)\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 70;
  }
}

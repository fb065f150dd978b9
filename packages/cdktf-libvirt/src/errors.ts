import { IConstruct } from "constructs";

/** One bad input: where (construct path or spec path), which field, and what is wrong. */
export interface Problem {
  readonly field: string;
  readonly message: string;
}

/**
 * Thrown at synth time for bad input, before anything is written. The message lists every problem
 * found in the construct, each as `[construct/path] field: message`.
 */
export class ValidationError extends Error {
  constructor(
    public readonly path: string,
    public readonly problems: readonly Problem[],
  ) {
    super(problems.map((p) => `[${path}] ${p.field}: ${p.message}`).join("\n"));
    this.name = "ValidationError";
  }
}

/** Collects the problems of one construct's props and throws them together. */
export class Problems {
  private readonly list: Problem[] = [];

  public add(field: string, message: string): void {
    this.list.push({ field, message });
  }

  /** Runs `check`, recording what it throws as a problem of `field`; returns its result or undefined. */
  public attempt<T>(field: string, check: () => T): T | undefined {
    try {
      return check();
    } catch (err) {
      this.add(field, (err as Error).message);
      return undefined;
    }
  }

  public get isEmpty(): boolean {
    return this.list.length === 0;
  }

  public throwIfAny(scope: IConstruct): void {
    if (!this.isEmpty) throw new ValidationError(scope.node.path, this.list);
  }
}

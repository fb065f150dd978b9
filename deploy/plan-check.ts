// The destructive-change check. Pure: it gets plan JSON text or a parsed plan and
// returns data, so it is tested on plan JSON produced by the real binary.

import { PlanFormatError } from "./errors";
import { importedId, importMark } from "./imports";

/** Types whose deletion loses data (disk contents) or a running machine. */
export const DEFAULT_PROTECTED_TYPES: readonly string[] = ["libvirt_volume", "libvirt_pool", "libvirt_domain"];

/** Plan JSON format majors this check understands (terraform and tofu both emit 1.x). */
export const SUPPORTED_FORMAT_MAJORS: readonly number[] = [1];

/** The subset of `show -json` output the check reads. */
export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly ResourceChange[];
  readonly output_changes?: Readonly<Record<string, { readonly actions: readonly string[] }>>;
}

export interface ResourceChange {
  readonly address: string;
  readonly mode?: string;
  readonly type: string;
  /** Set when the change concerns a deposed object left behind by an earlier create-before-destroy. */
  readonly deposed?: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: unknown;
    readonly after?: unknown;
    /** Set when an import block adopts an existing object (see imports.ts). */
    readonly importing?: { readonly id?: unknown } | null;
  };
}

export type ChangeKind = "create" | "update" | "replace" | "delete" | "read" | "forget" | "no-op" | "unknown";

export interface CheckedChange {
  readonly address: string;
  readonly type: string;
  readonly kind: ChangeKind;
  readonly actions: readonly string[];
  readonly deposed?: string;
  /** The id of the existing object this change adopts (an import), if it does; `kind` is what follows. */
  readonly importing?: string;
  /** Human-readable cause, from terraform's action_reason. */
  readonly cause?: string;
  /** The change removes an existing object (delete or replace). */
  readonly destroys: boolean;
  readonly protectedType: boolean;
  readonly allowedByFlag: boolean;
  /** Why the stack says this resource holds no data, when it does. */
  readonly disposable?: string;
  /** Set when the change is refused; says why. */
  readonly refusal?: string;
}

export interface PlanCheckOptions {
  readonly protectedTypes?: readonly string[];
  /** Resource addresses whose deletion/replacement is explicitly allowed. */
  readonly allowDestroy?: readonly string[];
  /** Addresses the stack marks as holding no data (see disposable.ts), with the reason; never refused. */
  readonly disposable?: ReadonlyMap<string, string>;
}

export interface PlanCheckResult {
  readonly formatVersion: string;
  readonly toolVersion: string | undefined;
  /** Every resource change except no-ops (an import that changes nothing else is listed), in plan order. */
  readonly changes: readonly CheckedChange[];
  readonly refused: readonly CheckedChange[];
  /** --allow-destroy entries that matched no destroying change (likely a typo). */
  readonly unusedAllowances: readonly string[];
  readonly outputChanges: number;
}

const KNOWN_ACTIONS = new Set(["no-op", "create", "read", "update", "delete", "forget"]);

const CAUSES: Readonly<Record<string, string>> = {
  replace_because_cannot_update: "a changed attribute forces replacement",
  replace_because_tainted: "the object is tainted",
  replace_by_request: "replacement was requested (-replace)",
  replace_by_triggers: "a replace trigger changed",
  delete_because_no_resource_config: "it was removed from the configuration",
  delete_because_no_module: "its module was removed",
  delete_because_wrong_repetition: "count/for_each usage changed",
  delete_because_count_index: "its count index no longer exists",
  delete_because_each_key: "its for_each key no longer exists",
  delete_because_no_move_target: "its moved target does not exist",
};

/** Parses `show -json` output, refusing formats whose major version is not known to this check. */
export function parsePlanJson(text: string): PlanJson {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new PlanFormatError(`plan JSON is not valid JSON: ${(err as Error).message}`);
  }
  if (!isRecord(data) || typeof data.format_version !== "string") {
    throw new PlanFormatError("plan JSON has no format_version; refusing to apply a plan that cannot be checked");
  }
  const major = Number(data.format_version.split(".")[0]);
  if (!SUPPORTED_FORMAT_MAJORS.includes(major)) {
    throw new PlanFormatError(
      `plan JSON format_version ${data.format_version} is not supported (supported majors: ` +
        `${SUPPORTED_FORMAT_MAJORS.join(", ")}); refusing to apply a plan that cannot be checked`,
    );
  }
  const changes = data.resource_changes ?? [];
  if (!Array.isArray(changes)) throw new PlanFormatError("plan JSON resource_changes is not an array");
  changes.forEach((rc, i) => {
    const ok =
      isRecord(rc) &&
      typeof rc.address === "string" &&
      typeof rc.type === "string" &&
      isRecord(rc.change) &&
      Array.isArray(rc.change.actions) &&
      rc.change.actions.every((a) => typeof a === "string");
    if (!ok) throw new PlanFormatError(`plan JSON resource_changes[${i}] lacks address, type or change.actions`);
  });
  return data as unknown as PlanJson;
}

export function classify(actions: readonly string[]): ChangeKind {
  const key = actions.join(",");
  switch (key) {
    case "no-op":
    case "create":
    case "read":
    case "update":
    case "delete":
    case "forget":
      return key;
    case "delete,create":
    case "create,delete":
      return "replace";
    default:
      return "unknown";
  }
}

export function checkPlan(plan: PlanJson, options: PlanCheckOptions = {}): PlanCheckResult {
  const protectedTypes = new Set(options.protectedTypes ?? DEFAULT_PROTECTED_TYPES);
  const allowed = new Set(options.allowDestroy ?? []);
  const used = new Set<string>();
  const changes: CheckedChange[] = [];

  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change.actions;
    const kind = classify(actions);
    const importing = importedId(rc);
    if (kind === "no-op" && importing === undefined) continue;
    const destroys = actions.includes("delete");
    const protectedType = protectedTypes.has(rc.type);
    const allowedByFlag = destroys && allowed.has(rc.address);
    if (allowedByFlag) used.add(rc.address);
    // only current objects: a deposed object or an unknown action still gets the full check
    const disposable = rc.deposed ? undefined : options.disposable?.get(rc.address);
    let refusal: string | undefined;
    if (protectedType && destroys && !allowedByFlag && disposable === undefined) {
      refusal = `${rc.type} is a protected type; ${kind === "replace" ? "replacing" : "deleting"} it destroys the existing object`;
    } else if (protectedType && actions.some((a) => !KNOWN_ACTIONS.has(a))) {
      // An action this check does not know might be destructive: fail closed.
      refusal = `${rc.type} is a protected type and the plan uses an action this check does not know`;
    }
    changes.push({
      address: rc.address,
      type: rc.type,
      kind,
      actions,
      ...(rc.deposed ? { deposed: rc.deposed } : {}),
      ...(importing !== undefined ? { importing } : {}),
      ...(rc.action_reason ? { cause: CAUSES[rc.action_reason] ?? rc.action_reason } : {}),
      destroys,
      protectedType,
      allowedByFlag,
      ...(disposable !== undefined && destroys ? { disposable } : {}),
      ...(refusal ? { refusal } : {}),
    });
  }

  return {
    formatVersion: plan.format_version,
    toolVersion: plan.terraform_version,
    changes,
    refused: changes.filter((c) => c.refusal !== undefined),
    unusedAllowances: [...allowed].filter((a) => !used.has(a)),
    outputChanges: Object.values(plan.output_changes ?? {}).filter((o) => classify(o.actions) !== "no-op").length,
  };
}

const SYMBOL: Record<ChangeKind, string> = {
  create: "+",
  update: "~",
  replace: "-/+",
  delete: "-",
  read: "<=",
  forget: ".",
  "no-op": " ",
  unknown: "?",
};

function describe(c: CheckedChange): string {
  const parts = c.importing === undefined ? [] : [`import ${c.importing}`];
  if (c.kind !== "no-op") parts.push(c.kind === "unknown" ? `actions ${c.actions.join(",")}` : c.kind);
  if (c.deposed) parts.push(`deposed object ${c.deposed}`);
  if (c.cause) parts.push(c.cause);
  if (c.destroys && !c.refusal) {
    parts.push(
      c.allowedByFlag
        ? "allowed by --allow-destroy"
        : c.disposable !== undefined
          ? `allowed: holds no data (${c.disposable})`
          : `allowed: ${c.type} is not a protected type`,
    );
  }
  return parts.join("; ");
}

/** One line per change, for the log. */
export function formatSummary(result: PlanCheckResult): string[] {
  const count = (k: ChangeKind) => result.changes.filter((c) => c.kind === k).length;
  // an import that is then updated counts as both, as terraform counts it
  const imports = result.changes.filter((c) => c.importing !== undefined).length;
  const lines = [
    `plan: ${count("create")} to create, ${count("update")} to update, ${count("replace")} to replace, ` +
      `${count("delete")} to delete` +
      (count("forget") ? `, ${count("forget")} to forget` : "") +
      (imports ? `, ${imports} to import` : "") +
      (result.outputChanges ? `, ${result.outputChanges} output change(s)` : ""),
  ];
  for (const c of result.changes) lines.push(`  ${importMark(c.importing, SYMBOL[c.kind]).padEnd(3)} ${c.address}  (${describe(c)})`);
  return lines;
}

/** The message shown when the plan is refused: what, why, and how to allow it. */
export function formatRefusal(result: PlanCheckResult): string {
  const lines = [`refusing to apply: the plan would destroy ${result.refused.length} protected resource(s):`];
  for (const c of result.refused) {
    lines.push(`  ${c.address}`);
    lines.push(`      action: ${c.kind === "unknown" ? c.actions.join(",") : c.kind}${c.deposed ? ` (deposed object ${c.deposed})` : ""}`);
    lines.push(`      reason: ${c.refusal}${c.cause ? ` (${c.cause})` : ""}`);
  }
  lines.push("Nothing was applied. If destroying these is intended, run again with:");
  lines.push(`  ${result.refused.map((c) => `--allow-destroy '${c.address}'`).join(" ")}`);
  return lines.join("\n");
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

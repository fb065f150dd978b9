// What a changed cloud-init seed means for a guest that already exists, said in the log: cloud-init
// runs its per-instance steps once per instance-id, so a new seed with the old id changes nothing in
// the guest. Pure: takes the checked plan.
import type { PlanJson } from "./plan-check";

const SEED_TYPE = "libvirt_cloudinit_disk";

export function cloudInitNotes(plan: PlanJson): string[] {
  const notes: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const { actions, before, after } = rc.change;
    if (rc.type !== SEED_TYPE || !actions.includes("delete") || !actions.includes("create")) continue;
    const old = metaData(before);
    if (old === undefined) continue;
    const guest = hostnameOf(old) ?? rc.address;
    notes.push(
      old === metaData(after)
        ? `${rc.address}: cloud-init changed for guest ${guest}, which keeps its first-boot configuration: the seed is replaced, but ` +
            `its instance-id is the same, so cloud-init does not run again. Apply the change inside the guest, or set ` +
            `cloudInit.applyOnChange to make its next cold start a new instance.`
        : `${rc.address}: cloud-init changed for guest ${guest} with a new instance-id: its next cold start (shut down, then ` +
            `started; a reboot from inside keeps the old seed) runs cloud-init as a new instance, new SSH host keys included.`,
    );
  }
  return notes;
}

function metaData(values: unknown): string | undefined {
  const text = typeof values === "object" && values !== null ? (values as { meta_data?: unknown }).meta_data : undefined;
  return typeof text === "string" ? text : undefined;
}

function hostnameOf(meta: string): string | undefined {
  return /^local-hostname: *"?([^"\n]+)"?$/m.exec(meta)?.[1];
}

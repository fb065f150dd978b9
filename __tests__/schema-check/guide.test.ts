import * as fs from "fs";
import * as path from "path";
import { checkStack, loadProviderSchemas } from "../../schema-check";

// fixtures/guide/section-N.json are the JSON snippets of sections 1–8 of
// libvirt-0.9.7-guide.md (shared provider-schemas notes), copied verbatim.
const schemas = loadProviderSchemas();

function section(n: number): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "guide", `section-${n}.json`), "utf8"));
}

function merge(target: Record<string, any>, source: Record<string, any>): Record<string, any> {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    const bothObjects = [existing, value].every((v) => typeof v === "object" && v !== null && !Array.isArray(v));
    target[key] = bothObjects ? merge(existing, value) : value;
  }
  return target;
}

/** Section 1 supplies required_providers and the provider blocks every other snippet assumes. */
function withProvider(...parts: Array<Record<string, any>>): Record<string, any> {
  return parts.reduce((stack, part) => merge(stack, part), section(1));
}

function messages(stack: unknown, strictTypes = false): string[] {
  return checkStack(stack, schemas, { strictTypes }).map((issue) => issue.message);
}

describe("the guide's examples", () => {
  it("section 6's domain is valid", () => {
    expect(messages(withProvider(section(6)))).toEqual([]);
  });

  it("all snippets of sections 1–8 together form a valid stack", () => {
    const stack = withProvider(...[2, 3, 4, 5, 6, 7, 8].map(section));
    expect(Object.keys(stack.resource).sort()).toEqual([
      "libvirt_cloudinit_disk",
      "libvirt_domain",
      "libvirt_network",
      "libvirt_pool",
      "libvirt_volume",
    ]);
    expect(messages(stack)).toEqual([]);
  });
});

describe("the guide's documented pitfalls", () => {
  const D = "resource.libvirt_domain.vm1";

  function pitfalls(): Record<string, any> {
    const stack = withProvider(section(3), section(6));
    const vm = stack.resource.libvirt_domain.vm1;
    vm.os.boot_devices = ["hd"];
    vm.os.loader_readonly = true;
    vm.devices.interfaces[0].type = "network";
    vm.uuid = "6f1d2c9e-0b8a-4c37-9d55-2a7e1f0c4b11";
    stack.resource.libvirt_volume.vm1_root.format = "qcow2";
    return stack;
  }

  it("flags all of them in one pass (interface type and volume format are unknown attributes)", () => {
    expect(messages(pitfalls())).toEqual([
      `resource.libvirt_volume.vm1_root.format: unknown attribute "format": libvirt_volume has no such argument or block; "format" exists at target.format, target.encryption.format, backing_store.format`,
      `${D}.os.boot_devices[0]: expected object, got string`,
      `${D}.devices.interfaces[0].type: unknown attribute "type": not in the schema, so Terraform would drop it silently`,
      `${D}.uuid: computed-only attribute cannot be set; the provider assigns its value`,
    ]);
  });

  it('leaves loader_readonly = true to strictTypes: Terraform converts it to the string "true"', () => {
    expect(messages(pitfalls(), true)).toContain(
      `${D}.os.loader_readonly: expected string, got bool (Terraform would convert it to "true"; strictTypes)`
    );
  });
});

import { checkStack, indexProviderSchemas, loadProviderSchemas, type CheckOptions } from "../../schema-check";

const libvirt = loadProviderSchemas();

const REQUIRED_PROVIDERS = { required_providers: { libvirt: { source: "dmacvicar/libvirt", version: "0.9.7" } } };

function messages(stack: unknown, options?: CheckOptions): string[] {
  return checkStack(stack, libvirt, options).map((issue) => issue.message);
}

function withResources(resource: object, rest: object = {}): object {
  return { terraform: REQUIRED_PROVIDERS, resource, ...rest };
}

function domain(body: object): object {
  return withResources({ libvirt_domain: { vm: { name: "vm", type: "kvm", ...body } } });
}

function volume(body: object): object {
  return withResources({ libvirt_volume: { v: { name: "v.qcow2", pool: "default", ...body } } });
}

const D = "resource.libvirt_domain.vm";
const V = "resource.libvirt_volume.v";

describe("unknown attributes", () => {
  it("flags an unknown top-level argument and points at where the name exists", () => {
    expect(messages(volume({ format: "qcow2" }))).toEqual([
      `${V}.format: unknown attribute "format": libvirt_volume has no such argument or block; "format" exists at target.format, target.encryption.format, backing_store.format`,
    ]);
  });

  it("suggests the snake_case name for a camelCase key", () => {
    expect(messages(volume({ capacityUnit: "GiB" }))).toEqual([
      `${V}.capacityUnit: unknown attribute "capacityUnit": libvirt_volume has no such argument or block; did you mean "capacity_unit"?`,
    ]);
  });

  it("flags unknown keys inside nested attributes, which Terraform would drop silently", () => {
    expect(messages(domain({ os: { firmwar: "efi" }, devices: { interfaces: [{ type: "network" }] } }))).toEqual([
      `${D}.os.firmwar: unknown attribute "firmwar": not in the schema, so Terraform would drop it silently; did you mean "firmware"?`,
      `${D}.devices.interfaces[0].type: unknown attribute "type": not in the schema, so Terraform would drop it silently`,
    ]);
  });

  it("flags an unknown resource type of a loaded provider", () => {
    expect(messages(withResources({ libvirt_vm: { x: {} } }))).toEqual([
      `resource.libvirt_vm.x: unknown resource type "libvirt_vm": not in the schema of registry.terraform.io/dmacvicar/libvirt`,
    ]);
  });

  it("quotes map-like keys that are not identifiers in paths", () => {
    expect(messages(domain({ os: { "boot.menu": {} } }))).toEqual([
      `${D}.os["boot.menu"]: unknown attribute "boot.menu": not in the schema, so Terraform would drop it silently; did you mean "boot_menu"?`,
    ]);
  });
});

describe("required attributes", () => {
  it("flags missing required attributes at the top and inside nested objects, all at once", () => {
    const stack = withResources({
      libvirt_domain: { vm: { name: "vm", os: { nv_ram: { template: "/x/OVMF_VARS.fd" } } } },
      libvirt_volume: { v: { name: "v", pool: "p", backing_store: { format: { type: "qcow2" } } } },
    });
    expect(messages(stack)).toEqual([
      `${D}.os.nv_ram.nv_ram: missing required attribute (expected string)`,
      `${D}.type: missing required attribute (expected string)`,
      `${V}.backing_store.path: missing required attribute (expected string)`,
    ]);
  });

  it("flags required attributes set to null, and accepts null for optional ones", () => {
    expect(messages(domain({ name: null, memory: null, os: null }))).toEqual([`${D}.name: required attribute is null (expected string)`]);
  });

  it("checks required attributes in every element of a nested list", () => {
    const stack = withResources({
      libvirt_network: { n: { name: "n", dns: { tx_ts: [{ name: "a", value: "b" }, { name: "c" }] } } },
    });
    expect(messages(stack)).toEqual([`resource.libvirt_network.n.dns.tx_ts[1].value: missing required attribute (expected string)`]);
  });
});

describe("types", () => {
  it("reports expected vs got for shapes", () => {
    expect(
      messages(
        domain({
          os: { boot_devices: ["hd"], init_args: "quiet" },
          devices: { disks: { target: { dev: "vda" } }, graphics: [[]] },
          features: "acpi",
        })
      )
    ).toEqual([
      `${D}.os.boot_devices[0]: expected object, got string`,
      `${D}.os.init_args: expected list of string, got string`,
      `${D}.devices.disks: expected list of object, got object`,
      `${D}.devices.graphics[0]: expected object, got array`,
      `${D}.features: expected object, got string`,
    ]);
  });

  it("applies Terraform's primitive conversions: numeric strings and true/false/1/0 pass, others fail", () => {
    expect(messages(domain({ memory: "4", vcpu: "1e1", running: "true", autostart: "0", features: { acpi: 1 } }))).toEqual([
      `${D}.features.acpi: expected bool, got number`,
    ]);
    expect(messages(domain({ memory: "4GiB", vcpu: true, running: "yes", memory_unit: ["GiB"] }))).toEqual([
      `${D}.memory: expected number, got string "4GiB"`,
      `${D}.vcpu: expected number, got bool`,
      `${D}.running: expected bool, got string "yes" (Terraform converts only "true", "false", "1" and "0")`,
      `${D}.memory_unit: expected string, got array`,
    ]);
  });

  it("accepts a bool or number for a string, as Terraform converts them, unless strictTypes is on", () => {
    const stack = domain({ vcpu: "2", os: { loader_readonly: true, type_machine: 35 } });
    expect(messages(stack)).toEqual([]);
    expect(messages(stack, { strictTypes: true })).toEqual([
      `${D}.vcpu: expected number, got string "2" (Terraform would convert it; strictTypes)`,
      `${D}.os.loader_readonly: expected string, got bool (Terraform would convert it to "true"; strictTypes)`,
      `${D}.os.type_machine: expected string, got number (Terraform would convert it to "35"; strictTypes)`,
    ]);
  });
});

describe("expressions", () => {
  it("lets a single ${...} stand for any type, at any depth", () => {
    const stack = domain({
      memory: "${var.memory}",
      running: "${var.running}",
      os: "${local.os}",
      devices: { disks: "${local.disks}", interfaces: ["${local.nic}"] },
      cpu: { mode: "${var.mode}" },
    });
    expect(messages(stack)).toEqual([]);
  });

  it("treats a template with literal text as a string: fine for scalars, wrong for objects and lists", () => {
    expect(messages(domain({ memory: "${var.gib}000", devices: { disks: "disk-${var.n}" } }))).toEqual([
      `${D}.devices.disks: expected list of object, got string template`,
    ]);
  });

  it("treats $${ as a literal", () => {
    expect(messages(domain({ memory: "$${var.gib}" }))).toEqual([`${D}.memory: expected number, got string "$\${var.gib}"`]);
  });
});

describe("computed-only attributes", () => {
  it("flags them at the top, inside nested objects and in data sources", () => {
    const stack = withResources(
      { libvirt_domain: { vm: { name: "vm", type: "kvm", uuid: "6f1d2c9e-0b8a-4c37-9d55-2a7e1f0c4b11", id: null } } },
      { data: { libvirt_domain_interface_addresses: { a: { domain: "${libvirt_domain.vm.uuid}", interfaces: [] } } } }
    );
    expect(messages(stack)).toEqual([
      `${D}.uuid: computed-only attribute cannot be set; the provider assigns its value`,
      `data.libvirt_domain_interface_addresses.a.interfaces: computed-only attribute cannot be set; the provider assigns its value`,
    ]);
    expect(messages(volume({ target: { path: "/var/lib/x", format: { type: "qcow2" } } }))).toEqual([
      `${V}.target.path: computed-only attribute cannot be set; the provider assigns its value`,
    ]);
  });
});

describe("meta-arguments and lifecycle", () => {
  it("accepts Terraform's meta-arguments and cdktf's // metadata without looking them up", () => {
    const stack = {
      terraform: REQUIRED_PROVIDERS,
      provider: { libvirt: [{ uri: "qemu:///system" }, { alias: "kvm1", uri: "qemu+ssh://kvm1/system" }] },
      resource: {
        libvirt_volume: {
          v: {
            "//": { metadata: { path: "s/v", uniqueId: "v" } },
            name: "v",
            pool: "default",
            count: 2,
            for_each: "${toset(var.names)}",
            depends_on: ["libvirt_pool.p"],
            provider: "libvirt.kvm1",
            lifecycle: { create_before_destroy: true, ignore_changes: ["capacity", "target.format.type"] },
            provisioner: [{ "local-exec": { command: "true" } }],
            connection: { host: "h" },
          },
        },
      },
      data: { libvirt_node_info: { n: { depends_on: [], provider: "libvirt.kvm1", lifecycle: {} } } },
    };
    expect(messages(stack)).toEqual([]);
  });

  it("does not allow resource-only meta-arguments on data sources", () => {
    const stack = withResources({}, { data: { libvirt_node_info: { n: { provisioner: [] } } } });
    expect(messages(stack)).toEqual([
      `data.libvirt_node_info.n.provisioner: unknown attribute "provisioner": libvirt_node_info has no such argument or block`,
    ]);
  });

  it("checks lifecycle.ignore_changes paths against the schema, like Terraform", () => {
    const stack = domain({
      lifecycle: {
        ignore_changes: [
          "memory_unit",
          "memoryUnit",
          "os.loader",
          "devices.disks.source",
          "devices.disks[0].source.volume.pool",
          "os.loader.x",
          "all",
        ],
      },
    });
    expect(messages(stack)).toEqual([
      `${D}.lifecycle.ignore_changes[1]: ignore_changes entry "memoryUnit" does not match the schema: libvirt_domain has no attribute "memoryUnit"; did you mean "memory_unit"?`,
      `${D}.lifecycle.ignore_changes[3]: ignore_changes entry "devices.disks.source" does not match the schema: devices.disks is a list; index it by number, e.g. devices.disks[0]`,
      `${D}.lifecycle.ignore_changes[5]: ignore_changes entry "os.loader.x" does not match the schema: os.loader is a string; it has no attributes or elements`,
      `${D}.lifecycle.ignore_changes[6]: ignore_changes entry "all" does not match the schema: libvirt_domain has no attribute "all"`,
    ]);
    expect(messages(domain({ lifecycle: { ignore_changes: "all" } }))).toEqual([]);
  });

  it("rejects dynamic blocks for nested attributes", () => {
    expect(messages(domain({ dynamic: { devices: { for_each: "${var.x}", content: {} } } }))).toEqual([
      `${D}.dynamic.devices: dynamic "devices" is an attribute, not a block type; use a for expression`,
    ]);
  });
});

describe("provider configuration", () => {
  it("checks object and array forms, allowing alias and version", () => {
    expect(messages({ terraform: REQUIRED_PROVIDERS, provider: { libvirt: { uri: "qemu:///system", version: "0.9.7" } } })).toEqual([]);
    expect(
      messages({ terraform: REQUIRED_PROVIDERS, provider: { libvirt: [{ url: "qemu:///system" }, { alias: "b", uri: ["x"] }] } })
    ).toEqual([
      `provider.libvirt[0].url: unknown attribute "url": provider libvirt has no such argument or block; did you mean "uri"?`,
      `provider.libvirt[1].uri: expected string, got array`,
    ]);
  });
});

describe("provider resolution", () => {
  it("skips providers without a loaded schema", () => {
    const stack = {
      terraform: { required_providers: { ...REQUIRED_PROVIDERS.required_providers, null: { source: "hashicorp/null" } } },
      provider: { null: {} },
      resource: {
        null_resource: { n: { triggers: { a: 1 }, anything: true } },
        terraform_data: { t: { input: "x", bogus: 1 } },
      },
    };
    expect(messages(stack)).toEqual([]);
  });

  it("reports once when libvirt types are not mapped to dmacvicar/libvirt, and still checks them", () => {
    const stack = {
      resource: { libvirt_pool: { a: { name: "a", type: "dir" }, b: { name: "b" } } },
      provider: { libvirt: { urii: "x" } },
    };
    expect(messages(stack)).toEqual([
      `terraform.required_providers.libvirt: local name "libvirt" resolves to registry.terraform.io/hashicorp/libvirt, but libvirt_pool is from registry.terraform.io/dmacvicar/libvirt; map it there`,
      `resource.libvirt_pool.b.type: missing required attribute (expected string)`,
      `provider.libvirt.urii: unknown attribute "urii": provider libvirt has no such argument or block; did you mean "uri"?`,
    ]);
  });

  it("matches a source without hostname and one printed by OpenTofu", () => {
    const tofu = indexProviderSchemas([
      {
        format_version: "1.0",
        provider_schemas: { "registry.opentofu.org/dmacvicar/libvirt": { resource_schemas: { libvirt_pool: { version: 0, block: {} } } } },
      },
    ]);
    const stack = { terraform: REQUIRED_PROVIDERS, resource: { libvirt_pool: { p: { name: "p" } } } };
    expect(checkStack(stack, tofu).map((i) => i.message)).toEqual([
      `resource.libvirt_pool.p.name: unknown attribute "name": libvirt_pool has no such argument or block`,
    ]);
  });

  it("rejects a stack that is not an object", () => {
    expect(messages([])).toEqual([`(stack): expected a cdk.tf.json object, got array`]);
    expect(messages({ resource: [] })).toEqual([`resource: expected object, got array`]);
  });
});

/** A made-up provider exercising what libvirt's schema lacks: cty object/tuple/map types, blocks, nested min/max. */
const EXAMPLE = {
  format_version: "1.0",
  provider_schemas: {
    "registry.terraform.io/example/test": {
      provider: { version: 0, block: { attributes: { token: { type: "string", required: true } } } },
      resource_schemas: {
        test_thing: {
          version: 0,
          block: {
            attributes: {
              tags: { type: ["map", "string"], optional: true },
              ports: { type: ["set", "number"], optional: true },
              pair: { type: ["tuple", ["string", "number"]], optional: true },
              shape: { type: ["object", { kind: "string", size: "number" }, ["size"]], optional: true },
              anything: { type: "dynamic", optional: true },
              members: {
                nested_type: { nesting_mode: "map", attributes: { role: { type: "string", required: true } } },
                optional: true,
              },
              hops: {
                nested_type: { nesting_mode: "list", attributes: { host: { type: "string", optional: true } }, min_items: 1, max_items: 2 },
                optional: true,
              },
            },
            block_types: {
              rule: {
                nesting_mode: "list",
                min_items: 1,
                max_items: 2,
                block: { attributes: { port: { type: "number", required: true } } },
              },
              settings: { nesting_mode: "single", block: { attributes: { debug: { type: "bool", optional: true } } } },
              label: { nesting_mode: "map", block: { attributes: { value: { type: "string", optional: true } } } },
            },
          },
        },
      },
    },
  },
};

describe("other schema features (made-up provider loaded next to libvirt)", () => {
  const schemas = { providers: [...libvirt.providers, ...indexProviderSchemas([EXAMPLE]).providers] };
  const test = (body: object): string[] =>
    checkStack(
      { terraform: { required_providers: { test: { source: "example/test" } } }, resource: { test_thing: { t: body } } },
      schemas
    ).map((i) => i.message);
  const T = "resource.test_thing.t";

  it("accepts a well-formed body", () => {
    expect(
      test({
        tags: { a: "x", "b.c": 1 },
        ports: [80, "443"],
        pair: ["a", 1],
        shape: { kind: "disk" },
        anything: [{ x: [1, "y"] }],
        members: { alice: { role: "admin" } },
        hops: [{ host: "a" }],
        rule: [{ port: 1 }, { port: 2 }],
        settings: { debug: true },
        label: { one: { value: "1" }, two: [{ value: "2" }] },
      })
    ).toEqual([]);
  });

  it("checks cty collection, tuple and object types", () => {
    expect(
      test({
        rule: { port: 1 },
        hops: [{}],
        tags: ["x"],
        ports: [80, "http"],
        pair: ["a", 1, 2],
        shape: { size: 1, extra: true },
        members: { bob: {}, carol: "admin" },
      })
    ).toEqual([
      `${T}.tags: expected map of string, got array`,
      `${T}.ports[1]: expected number, got string "http"`,
      `${T}.pair: expected tuple of 2 element(s), got 3`,
      `${T}.shape.extra: unknown attribute "extra": not in the schema, so Terraform would drop it silently`,
      `${T}.shape.kind: missing required attribute (expected string)`,
      `${T}.members.bob.role: missing required attribute (expected string)`,
      `${T}.members.carol: expected object, got string`,
    ]);
  });

  it("checks nested attribute item counts, which also make the attribute required", () => {
    expect(test({ rule: [{ port: 1 }], hops: [{}, {}, {}] })).toEqual([`${T}.hops: expected at most 2 item(s), got 3`]);
    expect(test({ rule: [{ port: 1 }], hops: [] })).toEqual([`${T}.hops: expected at least 1 item(s), got 0`]);
    expect(test({ rule: [{ port: 1 }], hops: null })).toEqual([`${T}.hops: required attribute is null (expected list of object)`]);
  });

  it("checks blocks: counts, required blocks, single blocks, labelled blocks and their bodies", () => {
    expect(test({})).toEqual([
      `${T}.hops: missing required attribute (expected list of object)`,
      `${T}.rule: missing required block (expected at least 1)`,
    ]);
    expect(
      test({
        hops: [{}],
        rule: [{ port: 1 }, { port: 2 }, { port: "x", extra: 1 }],
        settings: [{ debug: true }, { debug: "no" }],
        label: { one: { valu: "1" } },
      })
    ).toEqual([
      `${T}.rule: expected at most 2 block(s), got 3`,
      `${T}.rule[2].port: expected number, got string "x"`,
      `${T}.rule[2].extra: unknown attribute "extra": block rule has no such argument or block`,
      `${T}.settings: expected at most 1 block(s), got 2`,
      `${T}.settings[1].debug: expected bool, got string "no" (Terraform converts only "true", "false", "1" and "0")`,
      `${T}.label.one.valu: unknown attribute "valu": block label has no such argument or block; did you mean "value"?`,
    ]);
  });

  it("accepts dynamic blocks for block types and checks their content", () => {
    expect(test({ hops: [{}], dynamic: { rule: { for_each: "${var.ports}", content: { port: "${rule.value}", bogus: 1 } } } })).toEqual([
      `${T}.dynamic.rule.content.bogus: unknown attribute "bogus": block rule has no such argument or block`,
    ]);
  });

  it("checks the provider block, including required arguments", () => {
    const stack = { terraform: { required_providers: { test: { source: "example/test" } } }, provider: { test: [{ alias: "a" }] } };
    expect(checkStack(stack, schemas).map((i) => i.message)).toEqual([
      `provider.test[0].token: missing required attribute (expected string)`,
    ]);
  });
});

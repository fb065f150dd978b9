import { checkStack, indexProviderSchemas, libvirtSchemaFile, loadProviderSchemas, resolveSource, sameProvider } from "../../schema-check";

describe("loading provider schemas", () => {
  const schemas = loadProviderSchemas();

  it("loads the committed libvirt 0.9.7 schema by default", () => {
    expect(libvirtSchemaFile()).toMatch(/schemas\/dmacvicar-libvirt-0\.9\.7\.json$/);
    expect(schemas.providers.map((p) => p.address)).toEqual(["registry.terraform.io/dmacvicar/libvirt"]);
    const [libvirt] = schemas.providers;
    expect([...libvirt!.kinds.resource.keys()].sort()).toEqual([
      "libvirt_cloudinit_disk",
      "libvirt_combustion",
      "libvirt_domain",
      "libvirt_ignition",
      "libvirt_network",
      "libvirt_pool",
      "libvirt_volume",
    ]);
    expect([...libvirt!.kinds.data.keys()].sort()).toEqual([
      "libvirt_domain_interface_addresses",
      "libvirt_node_device_info",
      "libvirt_node_devices",
      "libvirt_node_info",
    ]);
    expect(Object.keys(libvirt!.provider?.attributes ?? {})).toEqual(["uri"]);
  });

  it("rejects documents that are not schema output, unsupported versions and duplicate providers", () => {
    expect(() => indexProviderSchemas([{ resource: {} }], ["x.json"])).toThrow(
      "x.json: not the output of `terraform providers schema -json`"
    );
    expect(() => indexProviderSchemas([{ format_version: "2.0", provider_schemas: {} }], ["x.json"])).toThrow(
      "x.json: unsupported format_version 2.0"
    );
    const doc = { format_version: "1.0", provider_schemas: { "registry.terraform.io/a/b": {} } };
    expect(() => indexProviderSchemas([doc, doc], ["one.json", "two.json"])).toThrow(
      "two.json: registry.terraform.io/a/b is already loaded from one.json"
    );
    expect(() => loadProviderSchemas(["/nonexistent/schema.json"])).toThrow("/nonexistent/schema.json: ENOENT");
  });

  it("accepts the schema file's empty nested objects (attributes omitted) only as {}", () => {
    // e.g. devices.interfaces[].address: nested_type without attributes, as Terraform prints an empty object type.
    const stack = (address: object) => ({
      terraform: { required_providers: { libvirt: { source: "dmacvicar/libvirt" } } },
      resource: { libvirt_domain: { vm: { name: "vm", type: "kvm", devices: { interfaces: [{ address }] } } } },
    });
    expect(checkStack(stack({}), schemas)).toEqual([]);
    expect(checkStack(stack({ type: "pci" }), schemas).map((i) => i.message)).toEqual([
      `resource.libvirt_domain.vm.devices.interfaces[0].address.type: unknown attribute "type": not in the schema, so Terraform would drop it silently`,
    ]);
  });
});

describe("provider addresses", () => {
  it("resolves local names through required_providers, else to hashicorp/<name> or the built-in provider", () => {
    const stack = {
      terraform: { required_providers: { libvirt: { source: "dmacvicar/libvirt", version: "0.9.7" }, old: "~> 1.0" } },
    };
    expect(resolveSource(stack, "libvirt")).toBe("dmacvicar/libvirt");
    expect(resolveSource(stack, "old")).toBe("registry.terraform.io/hashicorp/old");
    expect(resolveSource(stack, "null")).toBe("registry.terraform.io/hashicorp/null");
    expect(resolveSource(stack, "terraform")).toBe("terraform.io/builtin/terraform");
  });

  it("compares addresses case-insensitively, with the default host, and across the public registries", () => {
    expect(sameProvider("dmacvicar/libvirt", "registry.terraform.io/dmacvicar/libvirt")).toBe(true);
    expect(sameProvider("registry.terraform.io/DMacVicar/libvirt", "registry.opentofu.org/dmacvicar/libvirt")).toBe(true);
    expect(sameProvider("example.com/dmacvicar/libvirt", "registry.terraform.io/dmacvicar/libvirt")).toBe(false);
    expect(sameProvider("hashicorp/libvirt", "dmacvicar/libvirt")).toBe(false);
  });
});

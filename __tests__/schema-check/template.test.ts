import { classifyString } from "../../schema-check";

describe("classifyString", () => {
  it.each([
    ["plain text", ""],
    ["plain text", "qemu:///system"],
    ["an escaped interpolation", "$${var.x}"],
    ["an escaped directive", "%%{ if x }"],
    ["an unterminated interpolation", "${var.x"],
    ["a lone dollar", "cost: $5 {approx}"],
  ])("%s is a literal: %j", (_what, s) => {
    expect(classifyString(s)).toBe("literal");
  });

  it.each([
    ["a reference", "${libvirt_volume.vm1_root.name}"],
    ["an expression with braces", "${ {a = 1} }"],
    ["a quoted closing brace", '${join("}", var.parts)}'],
    ["a nested template in a quoted string", '${"${var.a}-x"}'],
    ["a cdktf for expression", '${[ for key, val in toset(["a"]): {"mac" = {"address" = "$${each.value}"}}]}'],
  ])("%s is an expression: %j", (_what, s) => {
    expect(classifyString(s)).toBe("expression");
  });

  it.each([
    ["two interpolations", "${var.a}${var.b}"],
    ["text around an interpolation", "vm-${var.n}.qcow2"],
    ["a trailing newline", "${var.a}\n"],
    ["a directive", "%{ if var.a }x%{ endif }"],
    ["text plus an escaped sequence", "$${a}${var.b}"],
  ])("%s is a template: %j", (_what, s) => {
    expect(classifyString(s)).toBe("template");
  });
});

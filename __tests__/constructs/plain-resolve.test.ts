import { App, DefaultTokenResolver, Fn, Lazy, StringConcat, TerraformStack, TerraformVariable, Token, Tokenization } from "cdktf";
import { KitchenSinkStack } from "../../bench/kitchen-sink";
import { MixedStack } from "../../bench/stacks";
import { resolvePlain, withPlainResolve } from "../../packages/cdktf-libvirt/src/plain-resolve";

function scope(): TerraformStack {
  return new TerraformStack(new App({ outdir: "/tmp/plain-resolve-unused" }), "s");
}

function cdktfResolve(stack: TerraformStack, value: unknown): unknown {
  return Tokenization.resolve(value, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
}

/** The value, or the message of what was thrown, so that errors compare too. */
function outcome(resolve: () => unknown): unknown {
  try {
    return { value: resolve() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe("resolvePlain gives what cdktf's resolver gives", () => {
  const stack = scope();
  const variable = new TerraformVariable(stack, "v", { type: "string" });
  const numberVariable = new TerraformVariable(stack, "n", { type: "number" });
  const listVariable = new TerraformVariable(stack, "l", { type: "list(string)" });
  const mapVariable = new TerraformVariable(stack, "m", { type: "map(string)" });
  const deep: Record<string, unknown> = {};
  let cursor = deep;
  for (let i = 0; i < 205; i++) cursor = (cursor.next = {}) as Record<string, unknown>;

  const cases: [string, unknown][] = [
    ["plain document with undefined keys and elements", { a: 1, b: undefined, c: [1, undefined, "x"], d: { e: null, f: true, g: [] }, h: {} }],
    ["strings cdktf leaves alone", ["${HOME}", "$${x}", "%{if}", "plain", "", "50%", "1.5", "a}b{"]],
    ["strings that look like encoded numbers", ["1e5", "x-e-y", "2.5e+10", "cloud-e1", "E-e"]],
    ["a reference in a string", `prefix ${variable.stringValue} suffix`],
    ["a reference as a whole value", { name: variable.stringValue }],
    ["a number token", { n: numberVariable.numberValue, plus: [numberVariable.numberValue, 3] }],
    ["a number token inside a string", `${Token.asString(numberVariable.numberValue)} items`],
    ["a list token", { l: listVariable.listValue, mixed: ["a", ...listVariable.listValue] }],
    ["a map token", { m: mapVariable.value, nested: { inner: Token.asStringMap(mapVariable.value) } }],
    ["a token as a key", { [variable.stringValue]: "value", plain: "x" }],
    ["Lazy values producing tokens and undefined", { l: Lazy.anyValue({ produce: () => ({ a: variable.stringValue, b: undefined }) }), s: Lazy.stringValue({ produce: () => "lazy" }) }],
    ["functions", { joined: Fn.join(",", listVariable.listValue), len: Fn.lengthOf(listVariable.listValue) }],
    ["dates and primitives", [new Date(0), true, false, 0, -1.5, -1e300, Number.NaN, null]],
    ["numbers outside arrays", { zero: 0, big: -1e300, nan: Number.NaN, inf: -Infinity }],
    ["the number map marker (refused)", { map: Token.NUMBER_MAP_TOKEN_VALUE }],
    ["a function (refused)", { f: () => 1 }],
    ["a list element in a string (refused)", { s: `x${listVariable.listValue[0]}` }],
    ["a construct (refused)", { c: stack }],
    ["a document nested too deeply (refused)", deep],
  ];

  test.each(cases)("%s", (_name, value) => {
    const expected = outcome(() => cdktfResolve(stack, value));
    expect(outcome(() => resolvePlain(stack, value))).toEqual(expected);
  });

  test("the refused cases do fail, with cdktf's messages", () => {
    const errors = cases.filter(([name]) => name.endsWith("(refused)")).map(([, value]) => outcome(() => resolvePlain(stack, value)));
    for (const e of errors) expect(e).toHaveProperty("error");
  });
});

describe("withPlainResolve", () => {
  test("a stack's document is byte-identical with and without it (kitchen sink, mixed stack, stack-level overrides)", () => {
    const withStackOverrides = (app: App) => {
      const stack = new MixedStack(app, "o", 3);
      // merged into the document after the elements' fragments: still resolved, tokens and all
      stack.addOverride("locals.first_vm", Lazy.stringValue({ produce: () => `\${libvirt_domain.local_vm-0.name}` }));
      stack.addOverride("locals.hosts", Token.asList(Fn.concat([["a"], ["b"]])));
      return stack;
    };
    for (const make of [(app: App) => new KitchenSinkStack(app, "k"), (app: App) => new MixedStack(app, "m", 12), withStackOverrides]) {
      const stack = make(new App({ outdir: "/tmp/plain-resolve-unused" }));
      // MixedStack is a LibvirtStack, whose toTerraform uses withPlainResolve unless told not to
      process.env.CDKTF_LIBVIRT_PLAIN_RESOLVE = "0";
      let viaCdktf: string;
      try {
        viaCdktf = JSON.stringify(stack.toTerraform(), null, 2);
      } finally {
        delete process.env.CDKTF_LIBVIRT_PLAIN_RESOLVE;
      }
      expect(JSON.stringify(withPlainResolve(() => stack.toTerraform()), null, 2)).toBe(viaCdktf);
    }
  });

  test("puts cdktf's resolver back, also when synthesis throws", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tokens = require("cdktf/lib/_tokens") as { resolve: unknown };
    const original = tokens.resolve;
    let inside: unknown;
    expect(() =>
      withPlainResolve(() => {
        inside = tokens.resolve;
        throw new Error("boom");
      }),
    ).toThrow("boom");
    // if this fails after a cdktf upgrade, plain-resolve.ts no longer finds cdktf's modules: the output
    // is still right, synthesis is just slower again
    expect(inside).not.toBe(original);
    expect(tokens.resolve).toBe(original);
  });
});

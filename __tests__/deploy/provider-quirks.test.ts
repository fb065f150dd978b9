// The provider errors deploy recognizes, on output the real provider printed (see fixtures/provider).
import * as fs from "node:fs";
import * as path from "node:path";
import { destroyedAddresses, errorDiagnostics, hasShutdownTimeout, idOnlyInconsistencies } from "../../deploy/provider-quirks";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "../fixtures/provider", name), "utf8");
const idError = fixture("apply-id-inconsistency.stderr");

describe("terraform's error diagnostics", () => {
  test("summary and folded detail of each Error, warnings and boxes left out", () => {
    expect(errorDiagnostics(idError)).toEqual([
      {
        summary: "Provider produced inconsistent result after apply",
        detail:
          'When applying changes to libvirt_domain.local_run, provider "provider[\\"registry.opentofu.org/dmacvicar/libvirt\\"].local" produced an ' +
          "unexpected new value: .id: was cty.NumberIntVal(1), but now cty.NumberIntVal(2). This is a bug in the provider, which should be " +
          "reported in the provider's own issue tracker.",
      },
    ]);
  });

  test("coloured, boxed output reads the same", () => {
    const boxed = ["\x1b[31m╷\x1b[0m", ...idError.trim().split("\n").slice(8).map((l) => `\x1b[31m│\x1b[0m ${l}`), "\x1b[31m╵\x1b[0m"].join("\n");
    expect(idOnlyInconsistencies(boxed)).toEqual(["libvirt_domain.local_run"]);
  });
});

describe("the runtime-id inconsistency of an updated domain (fixed upstream in 0.9.8)", () => {
  test("recognized with the domain's address", () => {
    expect(idOnlyInconsistencies(idError)).toEqual(["libvirt_domain.local_run"]);
  });

  test("not when another attribute is inconsistent, another resource type, or another error comes with it", () => {
    expect(idOnlyInconsistencies(idError.replace(".id: was cty.NumberIntVal(1)", ".memory: was cty.NumberIntVal(1)"))).toBeUndefined();
    expect(idOnlyInconsistencies(idError.replace("libvirt_domain.local_run", "libvirt_network.local_run"))).toBeUndefined();
    expect(idOnlyInconsistencies(`${idError}\nError: Failed to Start Domain\n\nno space left\n`)).toBeUndefined();
    expect(idOnlyInconsistencies("Error: something else\n")).toBeUndefined();
    expect(idOnlyInconsistencies("")).toBeUndefined();
  });
});

describe("a guest that does not shut down before its domain is deleted", () => {
  test("recognized, and the domains whose deletion completed are told apart", () => {
    expect(hasShutdownTimeout(fixture("destroy-shutdown-timeout.stderr"))).toBe(true);
    expect(hasShutdownTimeout(idError)).toBe(false);
    const stdout = "libvirt_domain.local_a: Destroying... [name=a]\nlibvirt_domain.local_a: Destruction complete after 4s\nlibvirt_domain.local_b: Destroying... [name=b]\n";
    expect([...destroyedAddresses(stdout)]).toEqual(["libvirt_domain.local_a"]);
  });
});

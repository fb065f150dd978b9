// The benchmark compares the spec path with terranix on "the same fleet": bench/terranix/fleet.nix must
// declare exactly what the constructs declare (apart from cdktf's "//" metadata and the state backend).
// Needs checkouts of terranix and nixpkgs' lib (not committed):
//   CDKTF_LIBVIRT_TERRANIX=<dir> CDKTF_LIBVIRT_NIXPKGS_LIB=<dir> npx jest terranix
import * as path from "path";
import { synthStackJson } from "../../bench/stacks";
import { terranixExpression } from "../../bench/whole-process";
import { nixEval } from "../nix/helpers";

const TERRANIX = process.env.CDKTF_LIBVIRT_TERRANIX;
const LIB = process.env.CDKTF_LIBVIRT_NIXPKGS_LIB;

function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "//").map(([k, v]) => [k, withoutMetadata(v)]));
  return value;
}

(TERRANIX && LIB ? test : test.skip)("terranix's fleet is the constructs' fleet", () => {
  const fleet = withoutMetadata(JSON.parse(synthStackJson("fleet", 10))) as { terraform: { backend?: unknown } };
  delete fleet.terraform.backend;
  const terranix = nixEval(terranixExpression(TERRANIX!, LIB!, path.resolve(__dirname, "../../bench/terranix/fleet.nix"), 10));
  expect(terranix).toEqual(fleet);
});

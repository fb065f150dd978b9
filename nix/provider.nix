# Whether a dmacvicar/libvirt provider package from Nix is one the synthesized stacks accept: the range
# their required_providers name (>= 0.9.7, < 0.10.0), from the construct library, carried here by the
# generated nix/options.nix so that the module's assertion and `tofu init` agree. Builtins only, so the
# tests evaluate it without nixpkgs.
let
  inherit (builtins) compareVersions match;
  range = (import ./options.nix { lib = null; }).providerVersions;

  # "v0.9.7", "0.9.7-unstable-2026-05-27" -> "0.9.7"
  release =
    version:
    let
      m = match "v?([0-9]+\\.[0-9]+\\.[0-9]+).*" version;
    in
    if m == null then null else builtins.head m;
in
{
  inherit range release;

  # { ok; message; } for an assertion; `option` is the option path named in the message.
  check =
    {
      providerVersion,
      option ? "services.cdktf-libvirt.providerPackage",
    }:
    let
      got = if providerVersion == null then null else release providerVersion;
      inRange = got != null && compareVersions got range.minimum >= 0 && compareVersions got range.below < 0;
      fix =
        "Set ${option} to a release in that range, e.g. pkgs.terraform-providers.mkProvider { owner = \"dmacvicar\"; "
        + "repo = \"terraform-provider-libvirt\"; rev = \"v${range.minimum}\"; spdx = \"Apache-2.0\"; "
        + "homepage = \"https://registry.terraform.io/providers/dmacvicar/libvirt\"; hash = ...; vendorHash = ...; } "
        + "(README.md, section The libvirt provider), or set it to null and provide the provider through services.cdktf-libvirt.cliConfig.";
    in
    {
      ok = inRange;
      message =
        if providerVersion == null then
          "${option}: cannot tell the version of the libvirt provider package (it has no `version`); the stacks need dmacvicar/libvirt ${range.constraint}. ${fix}"
        else
          "${option}: the libvirt provider is version ${providerVersion}, but the stacks need dmacvicar/libvirt ${range.constraint} "
          + "(their required_providers: tofu init would find no matching release on every boot and switch). ${fix}";
    };
}

# Which dmacvicar/libvirt release the generated bindings (.gen/) speak, and whether a provider package
# from Nix matches it. Builtins only, so the tests evaluate it without nixpkgs.
let
  inherit (builtins)
    filter
    fromJSON
    head
    length
    match
    substring
    stringLength
    ;

  hasPrefix = prefix: s: substring 0 (stringLength prefix) s == prefix;

  # "0.9.7" -> "0.9": releases before 1.0 break their schema between minor versions.
  series =
    version:
    let
      m = match "v?([0-9]+)\\.([0-9]+)([.+-].*)?" version;
    in
    if m == null then null else "${builtins.elemAt m 0}.${builtins.elemAt m 1}";
in
rec {
  inherit series;

  # The pinned version in cdktf.json's "terraformProviders", e.g. "dmacvicar/libvirt@= 0.9.7" -> "0.9.7".
  bindingsVersion =
    cdktfJsonText:
    let
      pins = filter (hasPrefix "dmacvicar/libvirt@") (fromJSON cdktfJsonText).terraformProviders;
      m = if length pins == 0 then null else match "dmacvicar/libvirt@ *(=|~>)? *([0-9][0-9A-Za-z.+-]*)" (head pins);
    in
    if m == null then
      throw "cdktf.json: terraformProviders has no pinned dmacvicar/libvirt version (expected e.g. \"dmacvicar/libvirt@= 0.9.7\")"
    else
      builtins.elemAt m 1;

  # { ok; message; } for an assertion; `option` is the option path named in the message.
  check =
    {
      bindingsVersion,
      providerVersion,
      option ? "services.cdktf-libvirt.providerPackage",
    }:
    let
      want = series bindingsVersion;
      got = if providerVersion == null then null else series providerVersion;
    in
    {
      ok = got != null && got == want;
      message =
        if providerVersion == null then
          "${option}: cannot tell the version of the libvirt provider package (it has no `version`); "
          + "the bindings were generated for dmacvicar/libvirt ${bindingsVersion}, so it must be a ${want}.x release."
        else
          "${option}: the libvirt provider is version ${providerVersion}, but the bindings were generated "
          + "for dmacvicar/libvirt ${bindingsVersion} (schemas/dmacvicar-libvirt-${bindingsVersion}.json); "
          + "${toString got}.x and ${want}.x differ in their resource schemas, so plans would fail or do the wrong thing. "
          + "Set ${option} to a ${want}.x build, e.g. "
          + "pkgs.terraform-providers.mkProvider { owner = \"dmacvicar\"; repo = \"terraform-provider-libvirt\"; "
          + "rev = \"v${bindingsVersion}\"; homepage = \"https://registry.terraform.io/providers/dmacvicar/libvirt\"; "
          + "hash = ...; vendorHash = ...; } (see README.md, section The libvirt provider), or set it to null and provide the provider "
          + "through services.cdktf-libvirt.cliConfig.";
    };
}

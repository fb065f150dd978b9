# The spec that main.ts reads (CDKTF_LIBVIRT_SPEC), computed from the option values of
# services.cdktf-libvirt. Builtins only, so it evaluates without nixpkgs:
#
#   nix-instantiate --eval --strict --json -E 'import ./nix/spec.nix (import ./nix/examples/testvm.nix)'
#
# Unset options (null) and empty collections are dropped; attribute names (VM, image, network and
# pool keys) are kept as they are. Secrets appear only as references ({ secret = "<name>"; }): this
# file never reads a file.
{
  stack,
  hostId ? "local",
  uri ? null,
  pools ? { },
  images ? { },
  networks ? { },
  vms ? { },
  groups ? { },
  # the architecture of VMs and groups that set none (the module passes the host's); null: the library's
  defaultArch ? null,
  # the stack's state backend ({ type = "pg"; ... }); null: local
  backend ? null,
  ...
}:
let
  inherit (builtins)
    attrNames
    filter
    isAttrs
    isList
    mapAttrs
    removeAttrs
    ;

  # A derivation (e.g. an image from fetchurl) stands for its store path.
  isDerivationLike = v: isAttrs v && v ? outPath;

  isEmpty = v: v == null || v == { } || v == [ ];

  clean =
    v:
    if isDerivationLike v then
      "${v}"
    else if isAttrs v then
      let
        cleaned = mapAttrs (_: clean) v;
      in
      removeAttrs cleaned (filter (n: isEmpty cleaned.${n}) (attrNames cleaned))
    else if isList v then
      map clean v
    else
      v;

  # `firmware.uefi = { }` means UEFI with the default loader: cleaning would drop it and fall back to BIOS.
  machine =
    m:
    let
      cleaned = clean m;
      firmware = m.firmware or null;
      withFirmware =
        if isAttrs firmware && firmware ? uefi && firmware.uefi != null && !(cleaned ? firmware) then
          cleaned // { firmware = "uefi"; }
        else
          cleaned;
    in
    if defaultArch != null && !(withFirmware ? arch) then withFirmware // { arch = defaultArch; } else withFirmware;

  nonEmpty = attrs: removeAttrs attrs (filter (n: isEmpty attrs.${n}) (attrNames attrs));
in
{
  stacks.${stack} = (if backend == null then { } else { backend = clean backend; }) // {
    hosts.${hostId} = nonEmpty {
    uri = clean uri;
    pools = clean pools;
    images = clean images;
    networks = clean networks;
    vms = mapAttrs (_: machine) vms;
    groups = mapAttrs (_: machine) groups;
    };
  };
}

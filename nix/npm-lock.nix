# package-lock.json (as an attribute set) -> the same, with a registry "resolved" URL on every entry
# that lacks one. The committed lock was written with npm's omit-lockfile-registry-resolved setting,
# and importNpmLock fetches each package from its "resolved" URL (checked against "integrity").
# Builtins only, so the tests evaluate it without nixpkgs.
#
# Entries left alone: the root (""), the workspace's own packages ("packages/cdktf-libvirt", built from
# the source tree), entries that already have "resolved", links (node_modules/cdktf-libvirt, the link to
# that workspace), and packages bundled inside another package's tarball ("inBundle"), which are never
# fetched on their own.
lock:
let
  registry = "https://registry.npmjs.org";
  inherit (builtins)
    elemAt
    length
    mapAttrs
    match
    split
    filter
    isString
    ;

  # "node_modules/a/node_modules/@scope/b" -> "@scope/b"
  nameFromKey =
    key:
    let
      parts = filter isString (split "node_modules/" key);
    in
    elemAt parts (length parts - 1);

  # https://registry.npmjs.org/@scope/b/-/b-1.2.3.tgz
  tarball =
    name: version:
    let
      scoped = match "@[^/]+/(.+)" name;
      base = if scoped == null then name else elemAt scoped 0;
    in
    "${registry}/${name}/-/${base}-${version}.tgz";

  needsUrl =
    key: entry:
    match "(.*/)?node_modules/.*" key != null
    && !(entry ? resolved)
    && !(entry.link or false)
    && !(entry.inBundle or false)
    && entry ? version
    && entry ? integrity;

  addResolved =
    key: entry:
    if needsUrl key entry then
      entry // { resolved = tarball (entry.name or (nameFromKey key)) entry.version; }
    else
      entry;
in
lock // { packages = mapAttrs addResolved (lock.packages or { }); }

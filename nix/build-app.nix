# A cdktf app of the user's own (TypeScript on the cdktf-libvirt construct library) built for
# services.cdktf-libvirt.app: its npm dependencies from its package-lock.json (importNpmLock: no hash to
# keep up to date), `npm run build`, and the whole tree as the output, for the unit's `cdktf synth`.
#
#   cdktf-libvirt.lib.buildApp { inherit pkgs; src = ./infra; }
#
# The app needs a package-lock.json, a "build" script that compiles it (e.g. `tsc`), and a cdktf.json
# whose "app" runs the compiled code (e.g. "node dist/main.js"): the unit has node, not ts-node.
{
  pkgs,
  src,
  pname ? (pkgs.lib.importJSON (src + "/package.json")).name or "cdktf-app",
  version ? (pkgs.lib.importJSON (src + "/package.json")).version or "0",
  nodejs ? pkgs.nodejs_22,
}:
pkgs.buildNpmPackage {
  inherit
    pname
    version
    src
    nodejs
    ;
  npmDeps = pkgs.importNpmLock { npmRoot = src; };
  npmConfigHook = pkgs.importNpmLock.npmConfigHook;
  npmBuildScript = "build";
  installPhase = /* bash */ ''
    runHook preInstall
    cp -R . "$out"
    runHook postInstall
  '';
}

# cdktf-libvirt as a Nix package: the compiled app, the construct library with its generated provider
# bindings, the run-time node_modules and the `cdktf-libvirt-deploy` wrapper.
#
#   pkgs.callPackage ./nix/package.nix { }
#
# Dependencies come from package-lock.json through importNpmLock, so there is no npmDepsHash to keep
# up to date. The construct library (packages/cdktf-libvirt, an npm workspace) is built by `npm run build`:
# its bindings generated from its provider schema, offline, then compiled with the app.
{
  lib,
  buildNpmPackage,
  importNpmLock,
  # nixpkgs marked nodejs_20 insecure; the package.json engines say >= 22
  nodejs_22,
  runtimeShell,
}:
let
  nodejs = nodejs_22;
  root = ../.;
  packageJson = lib.importJSON ../package.json;
  provider = import ./provider.nix;

  # Everything tsc and the binding generator read; not build outputs, state, or the Nix files
  # (editing a module must not rebuild the app).
  excluded = [
    "node_modules"
    "dist"
    "cdktf.out"
    "packages/cdktf-libvirt/.gen"
    "packages/cdktf-libvirt/lib"
    ".git"
    ".ci"
    "nix"
    "flake.nix"
    "flake.lock"
    "bench/work"
    ".terraform"
    ".direnv"
  ];
  src = lib.cleanSourceWith {
    name = "cdktf-libvirt-source";
    src = root;
    filter =
      path: _type:
      let
        rel = lib.removePrefix "${toString root}/" (toString path);
        base = baseNameOf path;
      in
      !(
        builtins.elem rel excluded
        || lib.hasPrefix ".gen-work-" base
        || lib.hasPrefix "result" base
        || (lib.hasPrefix "terraform." base && lib.hasInfix ".tfstate" base)
      );
  };
in
buildNpmPackage {
  pname = "cdktf-libvirt";
  inherit (packageJson) version;
  inherit src nodejs;

  # The lock file was written with omit-lockfile-registry-resolved, so its entries carry no
  # "resolved" URL; ./npm-lock.nix adds the registry's, which importNpmLock needs to fetch each one.
  npmDeps = importNpmLock {
    npmRoot = root;
    package = packageJson;
    packageLock = import ./npm-lock.nix (lib.importJSON ../package-lock.json);
  };
  npmConfigHook = importNpmLock.npmConfigHook;

  # No install scripts in the sandbox: the only dependencies with one are node-pty (a prebuilt-binary
  # check that falls back to compiling; cdktf synth does not load it) and @parcel/watcher (its binary
  # comes as an optional platform package). The project's own postinstall (building the construct
  # library) is part of the build script instead.
  npmRebuildFlags = [ "--ignore-scripts" ];
  npmBuildScript = "build";

  # The run time needs the app, the library and their dependencies only: deploy runs cdktf.json's app
  # itself, not the cdktf CLI, so no devDependency is left (node_modules: ~41 MB instead of ~556 MB).
  installPhase = /* bash */ ''
    runHook preInstall
    npm prune --omit=dev --no-save --offline --ignore-scripts
    bash ${./install.sh} "$out" ${nodejs}/bin/node ${runtimeShell} ${./deploy-wrapper.sh}
    runHook postInstall
  '';

  passthru = {
    inherit nodejs;
    # The dmacvicar/libvirt releases its stacks accept, e.g. { minimum = "0.9.7"; below = "0.10.0"; }.
    providerVersions = provider.range;
  };

  meta = {
    description = packageJson.description;
    license = lib.licenses.mpl20;
    mainProgram = "cdktf-libvirt-deploy";
    platforms = lib.platforms.linux;
  };
}

# The flake's checks (`nix flake check`): cheap ones that build or evaluate, and the NixOS VM test.
# Everything here needs nixpkgs; the checks that run without it are the Jest tests in __tests__/nix/.
{ pkgs, package }:
let
  inherit (pkgs) lib;
  appDir = "${package}/lib/node_modules/cdktf-libvirt";
  example = import ./examples/testvm.nix;
  exampleSpec = pkgs.writeText "testvm-from-nix.spec.json" (builtins.toJSON (import ./spec.nix example));

  # The module evaluated in a minimal system with the testvm example; only its own assertions count.
  nixos = import "${pkgs.path}/nixos/lib/eval-config.nix" {
    inherit (pkgs.stdenv.hostPlatform) system;
    modules = [
      ./module.nix
      {
        services.cdktf-libvirt = example // {
          inherit package;
        };
        boot.isContainer = true;
        system.stateVersion = lib.trivial.release;
      }
    ];
  };
  failedAssertions = map (a: a.message) (
    lib.filter (a: !a.assertion && lib.hasInfix "cdktf-libvirt" a.message) nixos.config.assertions
  );
  # The VM test applies for real, so it needs a provider in the stacks' range from nixpkgs.
  provider = pkgs.terraform-providers.dmacvicar_libvirt or pkgs.terraform-providers.libvirt;
  providerCheck = (import ./provider.nix).check {
    providerVersion = provider.version or null;
    option = "checks.vm (pkgs.terraform-providers.dmacvicar_libvirt)";
  };
  failWith =
    name: text:
    pkgs.runCommand name { inherit text; } /* bash */ ''
      printf '%s\n' "$text" >&2
      exit 1
    '';
in
{
  inherit package;

  # nix/spec.nix on the testvm example is accepted by the app's loader and synthesizes to the same
  # Terraform JSON as app/default.spec.json.
  spec = pkgs.runCommand "cdktf-libvirt-check-spec" { nativeBuildInputs = [ package.nodejs ]; } /* bash */ ''
    node ${./check-spec.js} ${appDir} ${exampleSpec} --expect ${../app/default.spec.json}
    touch "$out"
  '';

  shellcheck = pkgs.runCommand "cdktf-libvirt-shellcheck" { nativeBuildInputs = [ pkgs.shellcheck ]; } /* bash */ ''
    shellcheck ${./plugin-dir.sh} ${./deploy-wrapper.sh} ${./default-pool.sh} ${./install.sh}
    touch "$out"
  '';

  # The module's unit and spec for the example, built; a failed assertion fails the check with its message.
  module =
    if failedAssertions != [ ] then
      failWith "cdktf-libvirt-module-assertions" (lib.concatStringsSep "\n" failedAssertions)
    else
      pkgs.runCommand "cdktf-libvirt-module" { } /* bash */ ''
        mkdir -p "$out"
        cp ${nixos.config.systemd.units."cdktf-libvirt.service".unit}/cdktf-libvirt.service "$out/"
        cp ${nixos.config.services.cdktf-libvirt.specFile} "$out/spec.json"
      '';

  vm =
    if providerCheck.ok then
      pkgs.testers.runNixOSTest (import ./tests/vm.nix { inherit package; })
    else
      failWith "cdktf-libvirt-vm-test-needs-provider" providerCheck.message;
}

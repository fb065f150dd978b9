{
  description = "cdktf-libvirt: typed cdktf constructs for libvirt, and a NixOS module that applies a stack on rebuild";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs =
    { self, nixpkgs }:
    let
      inherit (nixpkgs) lib;
      # libvirt hosts; the package itself is plain node and would build elsewhere too
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];
      forAllSystems = f: lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      # services.cdktf-libvirt.app = cdktf-libvirt.lib.buildApp { inherit pkgs; src = ./infra; };
      lib.buildApp = import ./nix/build-app.nix;

      nixosModules.default = ./nix/module.nix;
      nixosModules.cdktf-libvirt = ./nix/module.nix;

      packages = forAllSystems (pkgs: {
        default = pkgs.callPackage ./nix/package.nix { };
      });

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          packages = [
            pkgs.nodejs_22
            pkgs.opentofu
            pkgs.libvirt # virsh, virt-* clients
            pkgs.shellcheck
          ];
        };
      });

      checks = forAllSystems (
        pkgs:
        import ./nix/checks.nix {
          inherit pkgs;
          package = self.packages.${pkgs.stdenv.hostPlatform.system}.default;
        }
      );
    };
}

# services.cdktf-libvirt: declare libvirt VMs, networks, pools and images in Nix; a oneshot unit
# synthesizes them with cdktf and applies them with OpenTofu whenever they change.
#
# Without flakes:   imports = [ ./nix/module.nix ];
# With the flake:   imports = [ cdktf-libvirt.nixosModules.default ];
#
# The spec's options (uri, pools, images, networks, vms, groups: one stack with one libvirt host) are
# nix/options.nix, generated from the spec's zod schema (stack-spec/schema.ts); this file adds the rest.
# nix/spec.nix turns the values into that spec, nix/unit.nix computes the unit's command line,
# environment and credentials; both use builtins only so they are tested without nixpkgs.
{
  config,
  lib,
  pkgs,
  utils,
  ...
}:
let
  cfg = config.services.cdktf-libvirt;
  opt = "services.cdktf-libvirt";

  inherit (lib)
    literalExpression
    mkDefault
    mkEnableOption
    mkIf
    mkMerge
    mkOption
    optional
    optionalAttrs
    types
    ;

  providerLib = import ./provider.nix;

  # The spec's options (uri, pools, images, networks, vms, groups), generated from stack-spec/schema.ts.
  specOptions = import ./options.nix { inherit lib; };
  label = types.strMatching specOptions.patterns.label;

  # ---- derived values ----------------------------------------------------------------------

  appDir = "${cfg.package}/lib/node_modules/cdktf-libvirt";
  nodejs = cfg.package.nodejs or pkgs.nodejs_22;

  specJson = pkgs.writeText "cdktf-libvirt-${cfg.stack}.spec.json" (builtins.toJSON (import ./spec.nix cfg));

  # Validated with the app's own loader at build time: a bad spec fails `nixos-rebuild build`.
  specFile =
    if cfg.checkSpec then
      pkgs.runCommand "cdktf-libvirt-${cfg.stack}.spec.json" { nativeBuildInputs = [ nodejs ]; } /* bash */ ''
        node ${./check-spec.js} ${appDir} ${specJson}
        cp ${specJson} "$out"
      ''
    else
      specJson;

  pluginDir = pkgs.runCommand "cdktf-libvirt-terraform-plugins" { } /* bash */ ''
    ${pkgs.runtimeShell} ${./plugin-dir.sh} "$out" ${pkgs.runtimeShell} ${lib.escapeShellArg (lib.makeBinPath (cfg.providerPackage.propagatedBuildInputs or [ ]))} ${cfg.providerPackage}
  '';

  unit = import ./unit.nix (
    cfg
    // {
      user = "cdktf-libvirt";
      deployProgram = lib.getExe cfg.package;
      tofuProgram = lib.getExe cfg.tofuPackage;
      pluginDir = if cfg.providerPackage == null then null else "${pluginDir}";
      cliConfig = if cfg.cliConfig == null then null else "${cfg.cliConfig}";
      specFile = if cfg.app == null then "${specFile}" else null;
    }
  );

  # with an app of the user's own, the stack is the app's: the attribute sets describe none
  attributeStack = lib.filterAttrs (_: v: v != { }) { inherit (cfg) images networks pools vms groups; };

  settingsFile = pkgs.writeText "cdktf-libvirt-${cfg.stack}.settings.json" (builtins.toJSON unit.settings);

  defaultPoolUnit = cfg.host.enable && cfg.host.defaultPool.enable;

  providerCheck = providerLib.check {
    providerVersion = cfg.providerPackage.version or null;
    option = "${opt}.providerPackage";
  };

  # What each network type takes and needs (generated from stack-spec/schema.ts), reported by field.
  networkAssertions = lib.concatLists (
    lib.mapAttrsToList (
      key: net:
      let
        takes = specOptions.fieldsByType.networks.${net.type};
        set = lib.filter (f: f != "type" && net.${f} != null && net.${f} != [ ]) (lib.attrNames net);
        extra = lib.subtractLists takes set;
      in
      [
        {
          assertion = extra == [ ];
          message = "${opt}.networks.${key}: ${lib.concatStringsSep ", " extra} cannot be set on a network of type \"${net.type}\" (it takes ${lib.concatStringsSep ", " takes}).";
        }
      ]
      ++ map (field: {
        assertion = net.${field} != null;
        message = "${opt}.networks.${key}.${field}: a \"${net.type}\" network needs it.";
      }) specOptions.requiredByType.networks.${net.type}
    ) cfg.networks
  );

  bridge = cfg.host.bridge;

  # The firmware files the host part links, under the names of the NixOS release it runs on.
  hostFirmware =
    if cfg.host.enable && cfg.host.ovmf.enable then
      import ./uefi.nix {
        inherit (cfg.host.ovmf) layout;
        aarch64 = pkgs.stdenv.hostPlatform.isAarch64;
      }
    else
      null;
  hostFirmwareSources =
    if cfg.host.ovmf.layout == "ovmf" then
      {
        loader = cfg.host.ovmf.package.firmware;
        nvramTemplate = cfg.host.ovmf.package.variables;
      }
    else
      lib.mapAttrs (_: name: "${config.virtualisation.libvirtd.qemu.package}/share/qemu/${name}") hostFirmware.names;
in
{
  options.services.cdktf-libvirt = specOptions.host // {
    enable = mkEnableOption "applying a cdktf-libvirt stack (libvirt VMs, networks, pools, images) with OpenTofu when it changes";

    package = mkOption {
      type = types.package;
      default = pkgs.callPackage ./package.nix { };
      defaultText = literalExpression "pkgs.callPackage ./nix/package.nix { }";
      description = "The cdktf-libvirt package: the app that synthesizes the stack, and `cdktf-libvirt-deploy`.";
    };

    stack = mkOption {
      type = label;
      example = "testvm";
      description = ''
        Name of the stack to apply. It names the state directory (`<stateDir>/<stack>`): renaming it
        starts from empty state, and the next apply tries to create everything again.
      '';
    };

    hostId = mkOption {
      type = label;
      default = "local";
      description = ''
        Construct id of the libvirt host in the stack. It prefixes every resource address
        (`libvirt_domain.local_testvm`), so changing it replaces everything.
      '';
    };

    secrets = mkOption {
      type = types.attrsOf types.str;
      default = { };
      example = literalExpression ''{ admin_password_hash = "/run/secrets/testvm-admin-hash"; }'';
      description = ''
        Secrets by name, each the path of a root-readable file outside the Nix store. The unit loads
        them with systemd's `LoadCredential=` and passes them to OpenTofu as `TF_VAR_<name>`; refer to
        one in the spec as `{ secret = "<name>"; }` (e.g. a user's `passwordHash`). Only the path is in
        the Nix store. The value does end up in the Terraform state under `stateDir`.
      '';
    };

    allowDestroy = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "libvirt_volume.local_testvm_SystemDisk_1a2b3c4d" ];
      description = ''
        Resource addresses that the next apply may delete or replace. Without an entry here, a plan
        that deletes or replaces a volume, pool or domain is refused and nothing is applied (the unit
        fails with exit code 3; the journal lists the addresses). Remove entries once applied.
      '';
    };

    stateDir = mkOption {
      type = types.str;
      default = "/var/lib/cdktf-libvirt";
      description = "Terraform state, working directories and state backups (mode 0700, owned by user `cdktf-libvirt`).";
    };

    providerPackage = mkOption {
      type = types.nullOr types.package;
      default = pkgs.terraform-providers.dmacvicar_libvirt or pkgs.terraform-providers.libvirt;
      defaultText = literalExpression "pkgs.terraform-providers.dmacvicar_libvirt";
      description = ''
        The dmacvicar/libvirt provider. It is laid out as a plugin directory passed to `tofu init
        -plugin-dir`, so init never contacts a registry. Its version must be in the series the bindings
        were generated for (0.9.x). `null`: the provider comes from `tofuPackage` or `cliConfig`.
      '';
    };

    tofuPackage = mkOption {
      type = types.package;
      default =
        if cfg.providerPackage == null then pkgs.opentofu else pkgs.opentofu.withPlugins (_: [ cfg.providerPackage ]);
      defaultText = literalExpression "pkgs.opentofu.withPlugins (p: [ config.services.cdktf-libvirt.providerPackage ])";
      description = "OpenTofu (or Terraform) that plans and applies; its main program is used.";
    };

    cliConfig = mkOption {
      type = types.nullOr types.path;
      default = null;
      description = "A tofu CLI configuration file (e.g. a `provider_installation` mirror); passed as `--cli-config`.";
    };

    defaultArch = mkOption {
      type = types.nullOr (
        types.enum [
          "x86_64"
          "aarch64"
        ]
      );
      default = if pkgs.stdenv.hostPlatform.isAarch64 then "aarch64" else null;
      defaultText = literalExpression ''if pkgs.stdenv.hostPlatform.isAarch64 then "aarch64" else null'';
      description = ''
        The architecture of VMs and groups that set no `arch`: the host's. An aarch64 VM gets the `virt`
        machine and UEFI (from `uefi`) unless it says otherwise; `null` leaves the library's default,
        x86_64 on `q35`.
      '';
    };

    uefi = {
      loader = mkOption {
        type = types.nullOr types.str;
        default = if hostFirmware == null then null else hostFirmware.loader;
        defaultText = lib.literalMD "the firmware code `host.ovmf` provides, e.g. `/run/libvirt/nix-ovmf/edk2-x86_64-code.fd`; `null` without it";
        example = "/run/libvirt/nix-ovmf/OVMF_CODE.fd";
        description = ''
          The host's UEFI firmware code, for every VM with `firmware = "uefi"` (or `firmware.uefi`
          without a `loader`): the stack reads it at apply time (`TF_VAR_${specOptions.uefiVariables.loader}`),
          and deploy stops before planning when the file does not exist. A VM that needs it while it is
          `null` fails the build.
        '';
      };
      nvramTemplate = mkOption {
        type = types.nullOr types.str;
        default = if hostFirmware == null then null else hostFirmware.nvramTemplate;
        defaultText = lib.literalMD "the variable store `host.ovmf` provides, e.g. `/run/libvirt/nix-ovmf/edk2-i386-vars.fd`; `null` without it";
        example = "/run/libvirt/nix-ovmf/OVMF_VARS.fd";
        description = ''
          The variable store each UEFI VM's NVRAM is first copied from (libvirt refuses an explicit
          loader without one: "unable to find any master var store"); as `uefi.loader`, through
          `TF_VAR_${specOptions.uefiVariables.nvramTemplate}`.
        '';
      };
    };

    lockTimeout = mkOption {
      type = types.str;
      default = "5m";
      description = "How long to wait for the deploy lock and the state lock.";
    };

    extraArgs = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "--keep-backups" "50" ];
      description = "Further arguments to `cdktf-libvirt-deploy`.";
    };

    applyOnRebuild = mkOption {
      type = types.bool;
      default = true;
      description = ''
        Apply at boot and on `nixos-rebuild switch` when the stack or its settings changed (a rebuild
        that changes nothing does not re-run it). When false, the unit is only run by hand:
        `systemctl start cdktf-libvirt`.
      '';
    };

    app = mkOption {
      type = types.nullOr types.package;
      default = null;
      example = literalExpression "cdktf-libvirt.lib.buildApp { inherit pkgs; src = ./infra; }";
      description = ''
        A cdktf app of your own, written in TypeScript with the `cdktf-libvirt` construct library and built
        (e.g. with the flake's `lib.buildApp`): a directory with its `cdktf.json`, compiled JavaScript and
        `node_modules`. The unit synthesizes it (it runs the `app` command of its `cdktf.json`, as `cdktf
        synth` would, with node on the PATH) and applies the stack named by
        `${opt}.stack`, with the same deploy, `allowDestroy`, `secrets` (its `Secret`s) and plan check as
        the attribute sets, which must then be left empty.
      '';
    };

    checkSpec = mkOption {
      type = types.bool;
      default = true;
      description = "Validate the generated spec with the app's loader while building the system, so mistakes fail the build rather than the unit.";
    };

    specFile = mkOption {
      type = types.path;
      readOnly = true;
      description = "The generated spec (a store path), passed to the unit as `CDKTF_LIBVIRT_SPEC`.";
    };

    host = {
      enable = mkEnableOption "the libvirt host side: libvirtd, UEFI firmware links, the `default` storage pool and (with `host.bridge.enable`) a LAN bridge";

      ovmf = {
        enable = mkOption {
          type = types.bool;
          default = true;
          description = ''
            Provide UEFI firmware under `/run/libvirt/nix-ovmf/`, under the names of the NixOS release
            (`host.ovmf.layout`), and make it the default of `${opt}.uefi`.
          '';
        };
        layout = mkOption {
          type = types.enum [
            "ovmf"
            "edk2"
          ];
          default = if lib.versionAtLeast lib.trivial.release "25.11" then "edk2" else "ovmf";
          defaultText = literalExpression ''if lib.versionAtLeast lib.trivial.release "25.11" then "edk2" else "ovmf"'';
          description = ''
            The names the firmware has in `/run/libvirt/nix-ovmf/`, as libvirtd's own module links it:
            `"ovmf"` (up to NixOS 25.05): `OVMF_CODE.fd` and `OVMF_VARS.fd` from `host.ovmf.package`;
            `"edk2"` (NixOS 25.11 on): QEMU's `edk2-x86_64-code.fd` and `edk2-i386-vars.fd` from
            `virtualisation.libvirtd.qemu.package` (`edk2-aarch64-code.fd`, `edk2-arm-vars.fd` on aarch64).
          '';
        };
        package = mkOption {
          type = types.package;
          default = pkgs.OVMF;
          defaultText = literalExpression "pkgs.OVMF";
          description = "OVMF build whose `firmware` and `variables` files are linked in the `\"ovmf\"` layout.";
        };
      };

      defaultPool = {
        enable = mkOption {
          type = types.bool;
          default = true;
          description = "Define, start and autostart a `dir` pool named `default` (images and disks without a pool go there). An existing one is kept.";
        };
        path = mkOption {
          type = types.str;
          default = "/var/lib/libvirt/images";
          description = "Directory of the `default` pool.";
        };
      };

      bridge = {
        enable = mkEnableOption "a systemd-networkd bridge that puts VMs on the LAN (sets `networking.useNetworkd` by default)";
        name = mkOption {
          type = types.str;
          default = "br0";
          description = "Bridge interface name.";
        };
        interface = mkOption {
          type = types.nullOr types.str;
          default = null;
          example = "enp1s0";
          description = "The LAN port enslaved to the bridge; its address moves to the bridge.";
        };
        addresses = mkOption {
          type = types.listOf types.str;
          default = [ ];
          example = [ "192.168.1.10/24" ];
          description = "Static addresses of the bridge, with prefix; empty: DHCP.";
        };
        gateway = mkOption {
          type = types.nullOr types.str;
          default = null;
          example = "192.168.1.1";
          description = "Default gateway (with static addresses).";
        };
        dns = mkOption {
          type = types.listOf types.str;
          default = [ ];
          example = [ "192.168.1.1" ];
          description = "DNS servers (with static addresses).";
        };
        macAddress = mkOption {
          type = types.nullOr types.str;
          default = null;
          example = "52:54:00:12:34:56";
          description = "MAC address of the bridge (e.g. the LAN port's, to keep a DHCP reservation); default: one systemd derives.";
        };
      };
    };
  };

  config = mkMerge [
    (mkIf cfg.enable {
      assertions =
        unit.assertions
        ++ networkAssertions
        ++ [
          {
            assertion = cfg.app == null || attributeStack == { };
            message = "${opt}.app is set, so the stack is the app's; leave ${lib.concatMapStringsSep ", " (n: "${opt}.${n}") (builtins.attrNames attributeStack)} empty.";
          }
          {
            assertion = !unit.localLibvirt || config.virtualisation.libvirtd.enable;
            message = "${opt}.uri: ${if cfg.uri == null then "unset, i.e." else "\"${cfg.uri}\" is"} the local libvirtd, but virtualisation.libvirtd.enable is false; set ${opt}.host.enable = true (or enable libvirtd yourself).";
          }
          {
            assertion = cfg.providerPackage == null || providerCheck.ok;
            inherit (providerCheck) message;
          }
        ];
      warnings = unit.warnings;

      services.cdktf-libvirt.specFile = specFile;

      users.users.cdktf-libvirt = {
        isSystemUser = true;
        group = "cdktf-libvirt";
        # polkit and the socket's group both look at this membership
        extraGroups = unit.supplementaryGroups;
        description = "cdktf-libvirt deploy unit";
      };
      users.groups.cdktf-libvirt = { };

      systemd.tmpfiles.rules = unit.tmpfiles;

      systemd.services.cdktf-libvirt = {
        description = "Apply the cdktf-libvirt stack ${cfg.stack}";
        documentation = [
          "file://${cfg.package}/share/doc/cdktf-libvirt/README.md"
          "https://developer.hashicorp.com/terraform/cdktf"
        ];
        wantedBy = optional cfg.applyOnRebuild "multi-user.target";
        requires = unit.requires;
        wants = unit.wants ++ optional defaultPoolUnit "cdktf-libvirt-default-pool.service";
        after = unit.after ++ optional defaultPoolUnit "cdktf-libvirt-default-pool.service";

        # The unit stays active after a successful apply (RemainAfterExit), so switch-to-configuration
        # restarts it exactly when its definition changed: the spec, the deploy settings or the
        # packages. A rebuild that changes none of them leaves it alone.
        restartIfChanged = cfg.applyOnRebuild;
        restartTriggers = [
          specFile
          settingsFile
        ];

        environment = unit.environment;

        serviceConfig = {
          Type = "oneshot";
          RemainAfterExit = true;
          ExecStart = unit.execStart;

          User = "cdktf-libvirt";
          Group = "cdktf-libvirt";
          # the libvirt socket is srwxrwx--- root:libvirtd
          SupplementaryGroups = unit.supplementaryGroups;
          LoadCredential = unit.loadCredential;

          CacheDirectory = "cdktf-libvirt";
          CacheDirectoryMode = "0700";
          ReadWritePaths = unit.readWritePaths;
          WorkingDirectory = cfg.stateDir;
          UMask = "0077";

          StandardOutput = "journal";
          StandardError = "journal";
          SyslogIdentifier = "cdktf-libvirt";

          # Hardening. Not used, on purpose: PrivateNetwork (http image sources, qemu+ssh URIs),
          # MemoryDenyWriteExecute (node's JIT), PrivateUsers (the libvirtd group must map), DynamicUser
          # (polkit checks the user's group membership in /etc/group).
          NoNewPrivileges = true;
          CapabilityBoundingSet = "";
          AmbientCapabilities = "";
          ProtectSystem = "strict";
          ProtectHome = true;
          PrivateTmp = true;
          PrivateDevices = true;
          ProtectKernelTunables = true;
          ProtectKernelModules = true;
          ProtectKernelLogs = true;
          ProtectControlGroups = true;
          ProtectClock = true;
          ProtectHostname = true;
          ProtectProc = "invisible";
          RestrictAddressFamilies = [
            "AF_UNIX"
            "AF_INET"
            "AF_INET6"
            "AF_NETLINK"
          ];
          RestrictNamespaces = true;
          RestrictRealtime = true;
          RestrictSUIDSGID = true;
          LockPersonality = true;
          RemoveIPC = true;
          SystemCallArchitectures = "native";
          SystemCallFilter = [
            "@system-service"
            "~@privileged"
          ];
          SystemCallErrorNumber = "EPERM";
        }
        // optionalAttrs (unit.stateDirectory != null) {
          StateDirectory = unit.stateDirectory;
          StateDirectoryMode = "0700";
        };
      };
    })

    (mkIf cfg.host.enable {
      virtualisation.libvirtd.enable = true;

      # libvirtd's own module links these too, when its options say so; made here either way, so the
      # paths `uefi` defaults to exist from boot on.
      systemd.tmpfiles.rules = lib.optionals cfg.host.ovmf.enable [
        "d ${hostFirmware.dir} 0755 root root -"
        "L+ ${hostFirmware.loader} - - - - ${hostFirmwareSources.loader}"
        "L+ ${hostFirmware.nvramTemplate} - - - - ${hostFirmwareSources.nvramTemplate}"
      ];
    })

    (mkIf defaultPoolUnit {
      systemd.services.cdktf-libvirt-default-pool = {
        description = "libvirt storage pool \"default\" for cdktf-libvirt";
        wantedBy = [ "multi-user.target" ];
        requires = [ "libvirtd.service" ];
        after = [ "libvirtd.service" ];
        before = [ "cdktf-libvirt.service" ];
        path = [
          config.virtualisation.libvirtd.package
          pkgs.gnugrep
        ];
        serviceConfig = {
          Type = "oneshot";
          RemainAfterExit = true;
          ExecStart = utils.escapeSystemdExecArgs [
            pkgs.runtimeShell
            "${./default-pool.sh}"
            "qemu:///system"
            "default"
            cfg.host.defaultPool.path
          ];
        };
      };
    })

    (mkIf (cfg.host.enable && bridge.enable) {
      assertions = [
        {
          assertion = bridge.interface != null;
          message = "${opt}.host.bridge.interface: name the LAN port to enslave to ${bridge.name}, e.g. \"enp1s0\" (see `ip link`).";
        }
        {
          assertion = bridge.gateway == null || bridge.addresses != [ ];
          message = "${opt}.host.bridge.gateway is set, but ${opt}.host.bridge.addresses is empty (DHCP); give a static address or drop the gateway.";
        }
        {
          assertion = builtins.stringLength bridge.name <= 15;
          message = "${opt}.host.bridge.name: \"${bridge.name}\" is longer than the 15 characters Linux allows for an interface name.";
        }
      ];

      networking.useNetworkd = mkDefault true;
      systemd.network.enable = true;
      systemd.network.netdevs."20-${bridge.name}" = {
        netdevConfig = {
          Kind = "bridge";
          Name = bridge.name;
        } // optionalAttrs (bridge.macAddress != null) { MACAddress = bridge.macAddress; };
      };
      systemd.network.networks."30-${bridge.name}-uplink" = {
        matchConfig.Name = if bridge.interface == null then "" else bridge.interface;
        networkConfig.Bridge = bridge.name;
        linkConfig.RequiredForOnline = "enslaved";
      };
      systemd.network.networks."30-${bridge.name}" = {
        matchConfig.Name = bridge.name;
        address = bridge.addresses;
        gateway = optional (bridge.gateway != null) bridge.gateway;
        dns = bridge.dns;
        networkConfig = optionalAttrs (bridge.addresses == [ ]) { DHCP = "yes"; };
        linkConfig.RequiredForOnline = "routable";
      };
    })
  ];

  meta.maintainers = [ ];
}

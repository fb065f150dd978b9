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

  specJson = pkgs.writeText "cdktf-libvirt-${cfg.stack}.spec.json" (builtins.toJSON (import ./spec.nix (cfg // { inherit (unit) uri; })));

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
      backendCredentials = lib.filter (c: c.file != null) (
        lib.mapAttrsToList (field: env: {
          inherit env field;
          file = cfg.backendCredentials.${field};
        }) backendCredentialEnv
      );
      ssh = {
        inherit (cfg.ssh) user identityFile;
        knownHostsFile =
          if cfg.ssh.knownHosts == [ ] then
            null
          else
            "${pkgs.writeText "cdktf-libvirt-known-hosts" (lib.concatMapStrings (line: "${line}\n") cfg.ssh.knownHosts)}";
      };
    }
  );

  # the environment variable terraform reads each backend credential from
  backendCredentialEnv = {
    connectionStringFile = "PG_CONN_STR";
    accessKeyIdFile = "AWS_ACCESS_KEY_ID";
    secretAccessKeyFile = "AWS_SECRET_ACCESS_KEY";
  };

  # with an app of the user's own, the stack is the app's: the attribute sets describe none
  attributeStack = lib.filterAttrs (_: v: v != { }) { inherit (cfg) images networks pools vms groups; };

  settingsFile = pkgs.writeText "cdktf-libvirt-${cfg.stack}.settings.json" (builtins.toJSON unit.settings);

  defaultPoolUnit = cfg.host.enable && cfg.host.defaultPool.enable;

  providerCheck = providerLib.check {
    providerVersion = cfg.providerPackage.version or null;
    option = "${opt}.providerPackage";
  };

  # The same for the backend, and the credentials each type reads.
  backendAssertions =
    let
      backend = cfg.backend;
      type = if backend == null then "local" else backend.type;
      takes = specOptions.fieldsByType.backend.${type};
      set = if backend == null then [ ] else lib.filter (f: f != "type" && backend.${f} != null) (lib.attrNames backend);
      credentialsOf = {
        local = [ ];
        pg = [ "connectionStringFile" ];
        s3 = [
          "accessKeyIdFile"
          "secretAccessKeyFile"
        ];
      };
      # an app of the user's own declares its backend in TypeScript, where this cannot look
      strayCredentials = lib.filter (
        f: cfg.app == null && cfg.backendCredentials.${f} != null && !(lib.elem f credentialsOf.${type})
      ) (lib.attrNames backendCredentialEnv);
    in
    [
      {
        assertion = lib.subtractLists takes set == [ ];
        message = "${opt}.backend: ${lib.concatStringsSep ", " (lib.subtractLists takes set)} cannot be set on a backend of type \"${type}\" (it takes ${lib.concatStringsSep ", " takes}).";
      }
      {
        assertion = type != "pg" || cfg.backendCredentials.connectionStringFile != null;
        message = "${opt}.backend.type is \"pg\", but ${opt}.backendCredentials.connectionStringFile is null: name the file holding the connection string (PG_CONN_STR).";
      }
      {
        assertion = strayCredentials == [ ];
        message = "${opt}.backendCredentials: ${lib.concatStringsSep ", " strayCredentials} set, but the backend is of type \"${type}\", which does not read it.";
      }
    ]
    ++ map (field: {
      assertion = backend.${field} != null;
      message = "${opt}.backend.${field}: a \"${type}\" backend needs it.";
    }) (if backend == null then [ ] else specOptions.requiredByType.backend.${type});

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

  # How every run of deploy executes (the apply unit, the drift check, cdktf-libvirt-plan).
  runSettings =
    {
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
      TimeoutStartSec = cfg.startTimeout;
    }
    // optionalAttrs (unit.stateDirectory != null) {
      StateDirectory = unit.stateDirectory;
      StateDirectoryMode = "0700";
    };

  # systemd-run's -p for each setting: lists as one assignment per entry, booleans as systemd writes them
  runProperties = lib.concatLists (
    lib.mapAttrsToList (
      name: value:
      map (v: "${name}=${if v == true then "yes" else if v == false then "no" else toString v}") (lib.toList value)
    ) runSettings
  );
  planCommand = pkgs.writeShellScriptBin "cdktf-libvirt-plan" ''
    # what applying this configuration's stack ${cfg.stack} would do (exit 0 nothing, 2 changes, 3 refused)
    exec ${config.systemd.package}/bin/systemd-run --quiet --wait --pipe --collect --service-type=exec \
      --description=${lib.escapeShellArg "cdktf-libvirt plan of ${cfg.stack}"} \
      ${lib.escapeShellArgs (map (p: "--property=${p}") runProperties)} \
      ${lib.escapeShellArgs (lib.mapAttrsToList (name: value: "--setenv=${name}=${value}") unit.environment)} \
      -- ${lib.escapeShellArgs unit.planArgv} "$@"
  '';

  # What the declared VMs and groups need from the host's QEMU.
  machines = lib.attrValues cfg.vms ++ lib.attrValues cfg.groups;
  needsSwtpm = lib.any (machine: machine.tpm == true) machines;
  needsVirtiofsd = lib.any (machine: lib.any (share: share.driver != "9p") machine.shares) machines;
  usesPciPassthrough = lib.any (machine: lib.any (device: device.pci != null) machine.hostDevices) machines;

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
  # secure boot: OVMFFull's SMM build, and its variable store with Microsoft's keys enrolled
  secureFirmwareSources = {
    loader = "${cfg.host.ovmf.securePackage.fd}/FV/OVMF_CODE.fd";
    nvramTemplate = "${cfg.host.ovmf.securePackage.fd}/FV/OVMF_VARS.ms.fd";
  };
in
{
  options.services.cdktf-libvirt = specOptions.host // {
    enable = mkEnableOption "applying a cdktf-libvirt stack (libvirt VMs, networks, pools, images) with OpenTofu when it changes";

    inherit (specOptions) backend;

    backendCredentials = lib.mapAttrs (
      field: env:
      mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "/run/secrets/${field}";
        description = ''
          A file outside the Nix store holding the state backend's `${env}` (${
            if env == "PG_CONN_STR" then "for `backend.type = \"pg\"`, e.g. `postgres://deploy:…@db/tfstate`" else "for `backend.type = \"s3\"`"
          }); the unit loads it as a credential and terraform reads it from its environment, so it is never in the
          configuration or the store.
        '';
      }
    ) backendCredentialEnv;

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
      secureLoader = mkOption {
        type = types.nullOr types.str;
        default = if hostFirmware == null then null else hostFirmware.secureLoader;
        defaultText = lib.literalMD "the secure-boot code `host.ovmf` provides (x86_64), `/run/libvirt/nix-ovmf/cdktf-libvirt-secure-code.fd`; `null` without it";
        description = ''
          Secure-boot firmware code (built with SMM), for every VM with `firmware.uefi.secureBoot = true`
          and no `loader` of its own, through `TF_VAR_${specOptions.uefiVariables.secureLoader}`.
        '';
      };
      secureNvramTemplate = mkOption {
        type = types.nullOr types.str;
        default = if hostFirmware == null then null else hostFirmware.secureNvramTemplate;
        defaultText = lib.literalMD "the variable store with Microsoft's keys `host.ovmf` provides (x86_64), `/run/libvirt/nix-ovmf/cdktf-libvirt-secure-vars.fd`; `null` without it";
        description = ''
          The variable store with Microsoft's secure boot keys enrolled that secure-boot VMs' NVRAM is
          copied from, through `TF_VAR_${specOptions.uefiVariables.secureNvramTemplate}`.
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

    ssh = {
      user = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "root";
        description = "The user on the remote libvirt host of a `qemu+ssh://` `uri`, if the URI names none.";
      };
      identityFile = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "/run/secrets/hv1-ssh-key";
        description = ''
          The private key for a `qemu+ssh://` `uri`: a root-readable file outside the Nix store. The
          unit loads it as the credential `ssh-identity` and the URI gets
          `keyfile=$CREDENTIALS_DIRECTORY/ssh-identity`, which the provider expands; the unit's user has
          no home directory and never reads `~/.ssh`.
        '';
      };
      knownHosts = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "hv1.lan ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI..." ];
        description = ''
          `known_hosts` lines for the remote libvirt host (`ssh-keyscan hv1.lan`); written to the store
          and named in the URI (`knownhosts=`). Without them the connection fails host key verification.
        '';
      };
    };

    startTimeout = mkOption {
      type = types.str;
      default = "30min";
      example = "2h";
      description = ''
        How long one run may take (`TimeoutStartSec=`): boot and `nixos-rebuild switch` wait for it, a
        first apply downloads images. When it passes, systemd stops the run with SIGTERM; deploy lets
        the running step finish, skips the rest and the unit fails.
      '';
    };

    driftCheck = {
      enable = mkEnableOption ''
        a timer that plans the current configuration against the live hypervisor (refresh, no apply) and
        logs what differs to the journal: the unit `cdktf-libvirt-drift` fails (exit 2, or 3 when an
        apply would be refused) while something differs'';
      interval = mkOption {
        type = types.str;
        default = "daily";
        example = "hourly";
        description = "When the drift check runs (`OnCalendar=`).";
      };
    };

    applyOnRebuild = mkOption {
      type = types.bool;
      default = true;
      description = ''
        Apply at boot and on `nixos-rebuild switch` when the stack or its settings changed (a rebuild
        that changes nothing does not re-run it). When false, the unit is only run by hand:
        `systemctl restart cdktf-libvirt` (`start` does nothing while the last run's result stands).
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
      enable = mkEnableOption "the libvirt host side: libvirtd, UEFI firmware links, swtpm and virtiofsd when VMs use them, the `default` storage pool and (with `host.bridge.enable`) a LAN bridge";

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
        securePackage = mkOption {
          type = types.package;
          default = pkgs.OVMFFull;
          defaultText = literalExpression "pkgs.OVMFFull";
          description = "OVMF build with secure boot and SMM whose `FV/OVMF_CODE.fd` and `FV/OVMF_VARS.ms.fd` (Microsoft's keys enrolled) secure-boot VMs use (x86_64).";
        };
      };

      vfio = {
        enable = mkEnableOption ''
          PCI passthrough on this host: the IOMMU on (in passthrough mode for the host's own devices),
          the vfio modules in the initrd and `pciIds` held by vfio-pci from boot on. Needs a reboot''
        ;
        iommu = mkOption {
          type = types.enum [
            "intel"
            "amd"
          ];
          example = "amd";
          description = "The CPU vendor's IOMMU: `intel` adds `intel_iommu=on`; AMD's is on by default.";
        };
        pciIds = mkOption {
          type = types.listOf (types.strMatching "[0-9a-f]{4}:[0-9a-f]{4}");
          default = [ ];
          example = [
            "10de:2484"
            "10de:228b"
          ];
          description = ''
            Vendor:device ids (`lspci -nn`) that vfio-pci takes at boot, before a host driver does: a GPU
            and its audio function, which share an IOMMU group and go to the guest together.
          '';
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
        enable = mkEnableOption ''
          a bridge that puts VMs on the LAN, made by the networking stack the host already uses (see
          `host.bridge.backend`). Switching to it over SSH drops the session while the LAN port's address
          moves to the bridge; with DHCP the bridge may get another address unless `macAddress` is the
          port's. Have console access, or switch with `nixos-rebuild boot` and reboot'';
        backend = mkOption {
          type = types.enum [
            "networkd"
            "scripted"
          ];
          default = if config.networking.useNetworkd or false then "networkd" else "scripted";
          defaultText = literalExpression ''if config.networking.useNetworkd then "networkd" else "scripted"'';
          description = ''
            How the bridge is made: `"networkd"` (systemd.network netdev and networks) or `"scripted"`
            (`networking.bridges` and `networking.interfaces`, NixOS's default stack). The default is the
            stack the host uses, so enabling the bridge never switches it.
          '';
        };
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
          description = ''
            MAC address of the bridge. Give the LAN port's (`ip link show enp1s0`) to keep the host's
            DHCP lease and reservations: by default the bridge gets one systemd derives (networkd) or the
            lowest of its ports' (scripted, which changes as VMs start), so a DHCP server sees a new host.
          '';
        };
      };
    };
  };

  config = mkMerge [
    (mkIf cfg.enable {
      assertions =
        unit.assertions
        ++ networkAssertions
        ++ backendAssertions
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

        serviceConfig = runSettings // {
          Type = "oneshot";
          RemainAfterExit = true;
          ExecStart = unit.execStart;
          # a refused plan (exit 3) is an outcome, not a failure: the unit stays active with status 3 and
          # the reason in the journal (priority err), so a later switch that changes nothing does not
          # start it again; a switch that changes the stack or allowDestroy does. Tool failures (exit 1)
          # stay failed, and the next switch or boot tries again.
          SuccessExitStatus = [ 3 ];
          StandardOutput = "journal";
          StandardError = "journal";
          SyslogIdentifier = "cdktf-libvirt";
        };
      };

      systemd.services.cdktf-libvirt-drift = mkIf cfg.driftCheck.enable {
        description = "Compare the cdktf-libvirt stack ${cfg.stack} with the hypervisor (plan only)";
        requires = unit.requires;
        wants = unit.wants;
        after = unit.after;
        inherit (unit) environment;
        serviceConfig = runSettings // {
          Type = "oneshot";
          ExecStart = unit.planExecStart;
          StandardOutput = "journal";
          StandardError = "journal";
          SyslogIdentifier = "cdktf-libvirt-drift";
        };
      };
      systemd.timers.cdktf-libvirt-drift = mkIf cfg.driftCheck.enable {
        wantedBy = [ "timers.target" ];
        timerConfig = {
          OnCalendar = cfg.driftCheck.interval;
          Persistent = true;
          RandomizedDelaySec = "10min";
        };
      };

      # `cdktf-libvirt-plan`: this configuration's plan against the live state, in a transient unit with
      # the apply unit's user, credentials and sandbox. From a built but not activated system
      # (`nixos-rebuild build`, then `sudo ./result/sw/bin/cdktf-libvirt-plan`) it shows what switching
      # to it would do.
      environment.systemPackages = [ planCommand ];
    })

    (mkIf cfg.host.enable {
      virtualisation.libvirtd.enable = true;
      # swtpm for VMs with a TPM, virtiofsd for virtiofs shares: libvirt starts one per VM
      virtualisation.libvirtd.qemu.swtpm.enable = mkIf needsSwtpm (lib.mkDefault true);
      virtualisation.libvirtd.qemu.vhostUserPackages = mkIf needsVirtiofsd [ pkgs.virtiofsd ];

      # libvirtd's own module links these too, when its options say so; made here either way, so the
      # paths `uefi` defaults to exist from boot on.
      systemd.tmpfiles.rules = lib.optionals cfg.host.ovmf.enable [
        "d ${hostFirmware.dir} 0755 root root -"
        "L+ ${hostFirmware.loader} - - - - ${hostFirmwareSources.loader}"
        "L+ ${hostFirmware.nvramTemplate} - - - - ${hostFirmwareSources.nvramTemplate}"
      ]
      ++ lib.optionals (cfg.host.ovmf.enable && hostFirmware.secureLoader != null) [
        "L+ ${hostFirmware.secureLoader} - - - - ${secureFirmwareSources.loader}"
        "L+ ${hostFirmware.secureNvramTemplate} - - - - ${secureFirmwareSources.nvramTemplate}"
      ];
    })

    (mkIf (cfg.host.enable && cfg.host.vfio.enable) {
      boot.kernelParams = [
        "iommu=pt"
      ]
      ++ optional (cfg.host.vfio.iommu == "intel") "intel_iommu=on"
      ++ optional (cfg.host.vfio.pciIds != [ ]) "vfio-pci.ids=${lib.concatStringsSep "," cfg.host.vfio.pciIds}";
      boot.initrd.kernelModules = [
        "vfio_pci"
        "vfio"
        "vfio_iommu_type1"
      ];
    })

    (mkIf (cfg.enable && usesPciPassthrough && !(cfg.host.enable && cfg.host.vfio.enable)) {
      warnings = [
        "${opt}: a VM passes a PCI device through, but ${opt}.host.vfio is not enabled: unless you turned the IOMMU on yourself, libvirt cannot start it."
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

      # DHCP on a bridge whose MAC is not the port's: the host is a new client to the DHCP server
      warnings = optional (bridge.addresses == [ ] && bridge.macAddress == null) (
        "${opt}.host.bridge.macAddress is unset: ${bridge.name} takes its address by DHCP with a MAC that is not "
        + "${toString bridge.interface}'s, so the host may get a new address when you switch (and a remote session drop). "
        + "Set it to ${toString bridge.interface}'s MAC (ip link show ${toString bridge.interface}) to keep the lease."
      );
    })

    (mkIf (cfg.host.enable && bridge.enable && bridge.backend == "networkd") {
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

    (mkIf (cfg.host.enable && bridge.enable && bridge.backend == "scripted") (
      let
        parsed = map (a: builtins.match "([^/]+)/([0-9]+)" a) bridge.addresses;
        family = ip: if lib.hasInfix ":" ip then "ipv6" else "ipv4";
        byFamily = fam: map (m: { address = builtins.elemAt m 0; prefixLength = lib.toInt (builtins.elemAt m 1); }) (lib.filter (m: m != null && family (builtins.elemAt m 0) == fam) parsed);
      in
      {
        assertions = map (a: {
          assertion = builtins.match "([^/]+)/([0-9]+)" a != null;
          message = "${opt}.host.bridge.addresses: \"${a}\" needs a prefix length, e.g. \"192.168.1.10/24\".";
        }) bridge.addresses;
        networking.bridges.${bridge.name}.interfaces = lib.optional (bridge.interface != null) bridge.interface;
        networking.interfaces =
          {
            ${bridge.name} = {
              useDHCP = bridge.addresses == [ ];
              ipv4.addresses = byFamily "ipv4";
              ipv6.addresses = byFamily "ipv6";
            }
            // optionalAttrs (bridge.macAddress != null) { macAddress = bridge.macAddress; };
          }
          # the port carries no address of its own once enslaved
          // optionalAttrs (bridge.interface != null) { ${bridge.interface}.useDHCP = mkDefault false; };
        networking.defaultGateway = lib.mkIf (bridge.gateway != null) bridge.gateway;
        networking.nameservers = bridge.dns;
      }
    ))
  ];

  meta.maintainers = [ ];
}

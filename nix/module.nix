# services.cdktf-libvirt: declare libvirt VMs, networks, pools and images in Nix; a oneshot unit
# synthesizes them with cdktf and applies them with OpenTofu whenever they change.
#
# Without flakes:   imports = [ ./nix/module.nix ];
# With the flake:   imports = [ cdktf-libvirt.nixosModules.default ];
#
# The option tree mirrors the JSON spec (stack-spec/schema.ts, schemas/spec.schema.json) for one stack
# with one libvirt host. nix/spec.nix turns the values into that spec, nix/unit.nix computes the unit's
# command line, environment and credentials; both use builtins only so they are tested without nixpkgs.
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

  # ---- option helpers ----------------------------------------------------------------------

  nullOpt =
    type: description:
    mkOption {
      type = types.nullOr type;
      default = null;
      inherit description;
    };
  listOpt =
    type: description:
    mkOption {
      type = types.listOf type;
      default = [ ];
      inherit description;
    };

  label = types.strMatching "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
  size = types.strMatching "[[:space:]]*[0-9]+([.][0-9]+)?[[:space:]]*(B|KiB|MiB|GiB|TiB)[[:space:]]*" // {
    description = "size with a binary unit, e.g. \"2048 MiB\" or \"100 GiB\"";
  };
  removalPolicy = types.enum [
    "retain"
    "destroy"
  ];
  removalPolicyOpt =
    what:
    nullOpt removalPolicy "What happens to ${what} when it leaves the configuration: `retain` (the default: a plan that deletes or replaces it fails) or `destroy`.";

  secretRef = types.submodule {
    options.secret = mkOption {
      type = types.strMatching "[a-z][a-z0-9_]*";
      description = "Name of an entry in `${opt}.secrets`; the value becomes a sensitive Terraform variable of that name.";
    };
  };

  lanOptions = {
    subnets = listOpt types.str "Subnets (CIDR) that static addresses on this network must lie in.";
    gateway4 = nullOpt types.str "Default IPv4 gateway for VMs with static addresses.";
    gateway6 = nullOpt types.str "Default IPv6 gateway for VMs with static addresses.";
    nameservers = listOpt types.str "DNS servers for VMs with static addresses.";
    searchDomains = listOpt types.str "DNS search domains for VMs with static addresses.";
  };

  # ---- submodules, mirroring stack-spec/schema.ts ------------------------------------------------

  poolModule = {
    options = {
      path = mkOption {
        type = types.str;
        example = "/srv/vm-disks";
        description = "Directory of the `dir` storage pool.";
      };
      name = nullOpt types.str "libvirt name of the pool; default: the attribute name.";
      removalPolicy = removalPolicyOpt "the pool";
    };
  };

  imageModule = {
    options = {
      source = mkOption {
        type = types.either types.str types.path;
        example = literalExpression ''
          pkgs.fetchurl {
            url = "https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2";
            hash = "sha256-...";
          }
        '';
        description = ''
          Where the base image comes from: an http(s) URL, a `file:///` URL or an absolute path, read by
          the deploy unit (user `cdktf-libvirt`), or a Nix path or derivation (its store path is used).
        '';
      };
      pool = nullOpt types.str "Key of an entry in `${opt}.pools`, or the name of an existing pool; default: the pool named `default`.";
      name = nullOpt types.str "Volume name; default: `<key>.qcow2`.";
      format = nullOpt (types.enum [
        "qcow2"
        "raw"
      ]) "Image format; default `qcow2`.";
      virtualSize = nullOpt size "The image's virtual size, when known; system disks must not be smaller.";
      removalPolicy = removalPolicyOpt "the image (system disks made from it need it)";
    };
  };

  networkModule = {
    options = {
      type = mkOption {
        type = types.enum [
          "host-bridge"
          "bridge"
          "nat"
        ];
        description = ''
          `host-bridge`: attach VMs to an existing host bridge (no libvirt network);
          `bridge`: a libvirt network in bridge forward mode over a host bridge;
          `nat`: a libvirt NAT network with its own bridge and DHCP.
        '';
      };
      bridge = nullOpt types.str "Host bridge (`host-bridge`, `bridge`: required) or the NAT network's bridge name.";
      name = nullOpt types.str "libvirt network name (`bridge`, `nat`); default: the attribute name.";
      subnet = nullOpt types.str "The NAT network's subnet (CIDR); required for `nat`.";
      dhcpRange = nullOpt (types.submodule {
        options = {
          start = mkOption { type = types.str; description = "First address handed out."; };
          end = mkOption { type = types.str; description = "Last address handed out."; };
        };
      }) "DHCP range of a `nat` network.";
      domain = nullOpt types.str "DNS domain of a `nat` network.";
    } // lanOptions;
  };

  cloudInitModule = {
    options = {
      users = listOpt (types.submodule {
        options = {
          name = mkOption { type = types.str; description = "User name."; };
          sshAuthorizedKeys = listOpt types.str "Public keys, one per entry.";
          passwordHash = nullOpt (types.either types.str secretRef) ''
            A crypt(3) hash, or `{ secret = "<name>"; }` naming an entry in `${opt}.secrets`. A hash
            given as a string ends up in the world-readable Nix store; prefer a secret.
          '';
          sudo = nullOpt types.bool "Passwordless sudo; default false.";
          groups = listOpt types.str "Supplementary groups.";
          shell = nullOpt types.str "Login shell; default: the image's.";
        };
      }) "Users to create on first boot; default: the image's default user only.";
      packages = listOpt types.str "Packages to install on first boot.";
      runcmd = listOpt (types.either types.str (types.listOf types.str)) "Commands run once on first boot: a string for the shell, or an argv list.";
      timezone = nullOpt types.str "An IANA zone such as `Europe/Berlin`.";
      fqdn = nullOpt types.str "Fully qualified name; must start with the VM's hostname.";
      applyOnChange = nullOpt types.bool ''
        Default false: an existing guest keeps its first-boot configuration when this changes. true: a
        change makes the next cold start (power off and on) a new cloud-init instance, which runs every
        first-boot step again, new SSH host keys included.
      '';
    };
  };

  firmwareType = types.either (types.enum [
    "bios"
    "uefi"
  ]) (types.submodule {
    options.uefi = mkOption {
      type = types.submodule {
        options = {
          loader = nullOpt types.str "Firmware code; default `/run/libvirt/nix-ovmf/OVMF_CODE.fd` (see `${opt}.host.ovmf`).";
          nvramTemplate = nullOpt types.str "NVRAM template; default `/run/libvirt/nix-ovmf/OVMF_VARS.fd`.";
          nvramDir = nullOpt types.str "Directory of the per-VM NVRAM files; default `/var/lib/libvirt/qemu/nvram`.";
        };
      };
      default = { };
      description = "UEFI with explicit firmware paths.";
    };
  });

  machineOptions = {
    image = mkOption {
      type = types.str;
      example = "debian-12";
      description = "Key of an entry in `${opt}.images`: the system disk is a copy-on-write overlay of it.";
    };
    memory = nullOpt size "Memory; default `\"2048 MiB\"`.";
    vcpus = nullOpt types.ints.positive "Virtual CPUs; default 1.";
    domainType = nullOpt (types.enum [
      "kvm"
      "qemu"
    ]) "`kvm` (default), or `qemu`: software emulation (TCG) on hosts without /dev/kvm.";
    cpu = nullOpt (types.either (types.enum [
      "host-passthrough"
      "host-model"
    ]) (types.submodule { options.model = mkOption { type = types.str; description = "A CPU model QEMU knows by name."; }; })) ''
      `host-passthrough` (default with kvm), `host-model`, or `{ model = "Skylake-Client"; }`; with
      `domainType = "qemu"` only a named model, default QEMU's own.
    '';
    arch = nullOpt (types.enum [
      "x86_64"
      "aarch64"
    ]) "Guest architecture; default `x86_64`.";
    machine = nullOpt types.str "QEMU machine type; default `q35` on x86_64, `virt` on aarch64.";
    systemDiskSize = nullOpt size "Size of the system disk; default `\"20 GiB\"`.";
    systemDiskRemovalPolicy = removalPolicyOpt "the system disk";
    pool = nullOpt types.str "Key of an entry in `${opt}.pools`, or the name of an existing pool; default: the image's pool.";
    cloudInit = nullOpt (types.submodule cloudInitModule) "User data on top of the hostname and network configuration, which are always rendered.";
    autostart = nullOpt types.bool "Start with the host; default true.";
    running = nullOpt types.bool "Keep the VM running; default true.";
    firmware = nullOpt firmwareType "`\"bios\"` (default), `\"uefi\"`, or `{ uefi = { loader = ...; }; }`.";
    graphics = nullOpt (types.enum [
      "none"
      "vnc"
      "spice"
    ]) "Graphical console; default `none` (serial console only).";
    shutdownTimeoutSeconds = nullOpt types.ints.positive "Seconds to wait for a clean shutdown; default 120.";
    guestAgent = nullOpt types.bool "A qemu-guest-agent channel (and the package); default true.";
    waitForAddress = nullOpt types.bool "Make apply wait until the guest reports an address; default false.";
  };

  vmModule = {
    options = machineOptions // {
      hostname = nullOpt types.str "Guest hostname (an RFC 1123 label); default: the attribute name.";
      dataDisks = mkOption {
        type = types.attrsOf (types.submodule {
          options = {
            size = mkOption { type = size; description = "Disk size."; };
            pool = nullOpt types.str "Pool of the disk; default: the system disk's.";
            removalPolicy = removalPolicyOpt "the disk";
          };
        });
        default = { };
        description = "Blank disks, attached as vdb, vdc, ... in attribute-name order.";
      };
      interfaces = listOpt (types.submodule {
        options = {
          network = mkOption { type = types.str; description = "Key of an entry in `${opt}.networks`."; };
          mac = nullOpt types.str "MAC address; default: derived from the host, VM and NIC index, stable across rebuilds.";
          addresses = listOpt types.str "Static addresses with prefix (`\"192.168.1.50/24\"`); default DHCP.";
          gateway4 = nullOpt types.str "IPv4 gateway; default: the network's.";
          gateway6 = nullOpt types.str "IPv6 gateway; default: the network's.";
          nameservers = listOpt types.str "DNS servers; default: the network's.";
          searchDomains = listOpt types.str "Search domains; default: the network's.";
        };
      }) "Network interfaces, in order.";
    };
  };

  groupModule = {
    options = machineOptions // {
      count = mkOption { type = types.ints.positive; description = "Number of identical VMs."; };
      hostnamePrefix = mkOption {
        type = types.str;
        example = "web";
        description = "VMs are named `<prefix>-1`, `<prefix>-2`, ...";
      };
      dataDisks = mkOption {
        type = types.attrsOf (types.submodule {
          options = {
            size = mkOption { type = size; description = "Disk size."; };
            removalPolicy = removalPolicyOpt "the disk";
          };
        });
        default = { };
        description = "Blank disks for every VM of the group.";
      };
      interfaces = listOpt (types.submodule {
        options = {
          network = mkOption { type = types.str; description = "Key of an entry in `${opt}.networks`."; };
          addressRange = nullOpt (types.submodule {
            options = {
              start = mkOption { type = types.str; description = "Address (with prefix) of the first VM."; };
              end = nullOpt types.str "Last address the group may use.";
            };
          }) "Consecutive static addresses for the group's VMs; default DHCP.";
          gateway4 = nullOpt types.str "IPv4 gateway; default: the network's.";
          gateway6 = nullOpt types.str "IPv6 gateway; default: the network's.";
        };
      }) "Network interfaces of every VM of the group.";
    };
  };

  # ---- derived values ----------------------------------------------------------------------

  appDir = "${cfg.package}/lib/node_modules/cdktf-libvirt";
  nodejs = cfg.package.nodejs or pkgs.nodejs;

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
      cdktfProgram = "${appDir}/node_modules/.bin/cdktf";
    }
  );

  # with an app of the user's own, the stack is the app's: the attribute sets describe none
  attributeStack = lib.filterAttrs (_: v: v != { }) { inherit (cfg) images networks pools vms groups; };

  settingsFile = pkgs.writeText "cdktf-libvirt-${cfg.stack}.settings.json" (builtins.toJSON unit.settings);

  defaultPoolUnit = cfg.host.enable && cfg.host.defaultPool.enable;

  providerCheck = providerLib.check {
    bindingsVersion = cfg.package.providerVersion or (providerLib.bindingsVersion (builtins.readFile ../packages/cdktf-libvirt/cdktf.json));
    providerVersion = cfg.providerPackage.version or null;
    option = "${opt}.providerPackage";
  };

  # Fields each network type accepts (stack-spec/schema.ts); anything else set is reported by name.
  networkFields = {
    host-bridge = [ "bridge" "subnets" "gateway4" "gateway6" "nameservers" "searchDomains" ];
    bridge = [ "bridge" "name" "subnets" "gateway4" "gateway6" "nameservers" "searchDomains" ];
    nat = [ "subnet" "dhcpRange" "domain" "bridge" "name" ];
  };
  networkAssertions = lib.concatLists (
    lib.mapAttrsToList (
      key: net:
      let
        set = lib.filter (f: f != "type" && net.${f} != null && net.${f} != [ ]) (lib.attrNames net);
        extra = lib.subtractLists networkFields.${net.type} set;
      in
      [
        {
          assertion = extra == [ ];
          message = "${opt}.networks.${key}: ${lib.concatStringsSep ", " extra} cannot be set on a network of type \"${net.type}\" (it takes ${lib.concatStringsSep ", " networkFields.${net.type}}).";
        }
        {
          assertion = net.type == "nat" || net.bridge != null;
          message = "${opt}.networks.${key}.bridge: a \"${net.type}\" network needs the name of the host bridge, e.g. \"br0\".";
        }
        {
          assertion = net.type != "nat" || net.subnet != null;
          message = "${opt}.networks.${key}.subnet: a \"nat\" network needs its subnet, e.g. \"192.168.100.0/24\".";
        }
      ]
    ) cfg.networks
  );

  bridge = cfg.host.bridge;
in
{
  options.services.cdktf-libvirt = {
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

    uri = mkOption {
      type = types.str;
      default = "qemu:///system";
      description = "libvirt connection URI. A URI without a host (`qemu:///system`) uses the local libvirtd, reached through its socket as group `libvirtd`.";
    };

    pools = mkOption {
      type = types.attrsOf (types.submodule poolModule);
      default = { };
      example = literalExpression ''{ fast = { path = "/srv/nvme/vms"; }; }'';
      description = "Storage pools (`dir` type) the stack creates.";
    };

    images = mkOption {
      type = types.attrsOf (types.submodule imageModule);
      default = { };
      example = literalExpression ''
        {
          "debian-12" = {
            source = "/var/lib/libvirt/images/debian-12-genericcloud-amd64.qcow2";
            virtualSize = "2 GiB";
          };
        }
      '';
      description = "Base images, uploaded into a pool once; VMs' system disks are overlays of them.";
    };

    networks = mkOption {
      type = types.attrsOf (types.submodule networkModule);
      default = { };
      example = literalExpression ''{ br0 = { type = "host-bridge"; bridge = "br0"; }; }'';
      description = "Networks VMs attach to, by key.";
    };

    vms = mkOption {
      type = types.attrsOf (types.submodule vmModule);
      default = { };
      example = literalExpression ''
        {
          testvm = {
            image = "debian-12";
            memory = "2048 MiB";
            vcpus = 1;
            systemDiskSize = "100 GiB";
            interfaces = [ { network = "br0"; } ];
            autostart = true;
          };
        }
      '';
      description = "Virtual machines, by name (an RFC 1123 label).";
    };

    groups = mkOption {
      type = types.attrsOf (types.submodule groupModule);
      default = { };
      example = literalExpression ''
        {
          web = {
            count = 3;
            hostnamePrefix = "web";
            image = "debian-12";
            interfaces = [ { network = "br0"; addressRange.start = "192.168.1.61/24"; } ];
          };
        }
      '';
      description = "Groups of identical VMs.";
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
        `node_modules`. The unit synthesizes it with `cdktf synth` and applies the stack named by
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
      enable = mkEnableOption "the libvirt host side: libvirtd, OVMF firmware links, the `default` storage pool and (with `host.bridge.enable`) a LAN bridge";

      ovmf = {
        enable = mkOption {
          type = types.bool;
          default = true;
          description = "Link OVMF to `/run/libvirt/nix-ovmf/OVMF_CODE.fd` and `OVMF_VARS.fd`, where UEFI VMs look for it.";
        };
        package = mkOption {
          type = types.package;
          default = pkgs.OVMF;
          defaultText = literalExpression "pkgs.OVMF";
          description = "OVMF build; its `firmware` and `variables` files are linked.";
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
            message = "${opt}.uri: \"${cfg.uri}\" is the local libvirtd, but virtualisation.libvirtd.enable is false; set ${opt}.host.enable = true (or enable libvirtd yourself).";
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

      # NixOS releases differ in whether libvirtd links OVMF here; the links are made either way.
      systemd.tmpfiles.rules = lib.optionals cfg.host.ovmf.enable [
        "d /run/libvirt/nix-ovmf 0755 root root -"
        "L+ /run/libvirt/nix-ovmf/OVMF_CODE.fd - - - - ${cfg.host.ovmf.package.firmware}"
        "L+ /run/libvirt/nix-ovmf/OVMF_VARS.fd - - - - ${cfg.host.ovmf.package.variables}"
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

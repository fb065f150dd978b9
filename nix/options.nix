# GENERATED from stack-spec/schema.ts by `npm run spec-schema`; do not edit (a test fails when it is stale).
#
# The options of one host's spec (uri, pools, images, networks, vms, groups) and of the stack's state
# backend for nix/module.nix, with their types and documentation; the defaults the descriptions name are
# the construct library's.
#
# `patterns`, `providerVersions` and `uefiVariables` need no lib: builtins-only files read them with `lib = null`.
{ lib }:
let
  inherit (lib) mkOption types;
in
{
  host = {
    uri = mkOption {
      type = types.nullOr types.str;
      default = null;
      description = "libvirt connection URI; default \"qemu:///system\". A URI without a host uses the local libvirtd, through its socket";
    };
    pools = mkOption {
      type = types.attrsOf (types.submodule {
        options = {
          path = mkOption {
            type = types.str;
            description = "Directory of the dir storage pool";
          };
          name = mkOption {
            type = types.nullOr types.str;
            default = null;
            description = "libvirt name of the pool; default: its key";
          };
          removalPolicy = mkOption {
            type = types.nullOr (types.enum [ "retain" "destroy" ]);
            default = null;
            description = "What happens to the pool when it leaves the configuration: retain (the default; it is kept, and a plan that would replace it fails) or destroy";
          };
        };
      });
      default = { };
      description = "Storage pools (dir type) the stack creates";
    };
    images = mkOption {
      type = types.attrsOf (types.submodule {
        options = {
          source = mkOption {
            type = types.either types.str types.path;
            description = "Where the base image comes from: an http(s) URL, a file:/// URL or an absolute path, read by the machine that applies (the NixOS unit's user)";
          };
          pool = mkOption {
            type = types.nullOr types.str;
            default = null;
            description = "Pool the image is uploaded into; default: the pool named \"default\"";
          };
          name = mkOption {
            type = types.nullOr types.str;
            default = null;
            description = "Volume name; default: <key>.qcow2 (or .raw). Version it: the provider cannot update a volume";
          };
          format = mkOption {
            type = types.nullOr (types.enum [ "qcow2" "raw" ]);
            default = null;
            description = "Image format; default \"qcow2\"";
          };
          virtualSize = mkOption {
            type = types.nullOr (types.strMatching "[[:space:]]*([0-9]+([.][0-9]+)?)[[:space:]]*(B|KiB|MiB|GiB|TiB)[[:space:]]*");
            default = null;
            description = "The image's virtual size, when known: system disks must not be smaller";
          };
          removalPolicy = mkOption {
            type = types.nullOr (types.enum [ "retain" "destroy" ]);
            default = null;
            description = "What happens to the image (the system disks made from it need it) when it leaves the configuration: retain (the default; it is kept, and a plan that would replace it fails) or destroy";
          };
        };
      });
      default = { };
      description = "Base images, uploaded into a pool once; VMs' system disks are overlays of them";
    };
    networks = mkOption {
      type = types.attrsOf (types.submodule {
        options = {
          type = mkOption {
            type = types.enum [ "host-bridge" "bridge" "nat" ];
            description = "`host-bridge`: Attach VMs to an existing host bridge (no libvirt network); `bridge`: A libvirt network in bridge forward mode over a host bridge; `nat`: A libvirt NAT network with its own bridge and, with dhcpRange, DHCP";
          };
          bridge = mkOption {
            type = types.nullOr types.str;
            default = null;
            description = "The host bridge, e.g. br0 (`host-bridge`, `bridge`, `nat`)";
          };
          subnets = mkOption {
            type = types.listOf types.str;
            default = [ ];
            description = "Subnets (CIDR) that static addresses on this network must lie in (`host-bridge`, `bridge`)";
          };
          gateway4 = mkOption {
            type = types.nullOr types.str;
            default = null;
            description = "Default IPv4 gateway of VMs with static addresses (`host-bridge`, `bridge`)";
          };
          gateway6 = mkOption {
            type = types.nullOr types.str;
            default = null;
            description = "Default IPv6 gateway of VMs with static addresses (`host-bridge`, `bridge`)";
          };
          nameservers = mkOption {
            type = types.listOf types.str;
            default = [ ];
            description = "DNS servers of VMs with static addresses (`host-bridge`, `bridge`)";
          };
          searchDomains = mkOption {
            type = types.listOf types.str;
            default = [ ];
            description = "DNS search domains of VMs with static addresses (`host-bridge`, `bridge`)";
          };
          name = mkOption {
            type = types.nullOr types.str;
            default = null;
            description = "libvirt name of the network; default: its key (`bridge`, `nat`)";
          };
          importUuid = mkOption {
            type = types.nullOr types.str;
            default = null;
            description = "Adopt the existing libvirt network with this UUID (virsh net-uuid <name> prints it) instead of creating one: the first deploy imports it, so declare it as it is: provider 0.9.7 changes only an adopted network's autostart; default: a new one is created (`bridge`, `nat`)";
          };
          subnet = mkOption {
            type = types.nullOr types.str;
            default = null;
            description = "The lab subnet (CIDR), e.g. \"10.10.10.0/24\"; the host takes its first address (`nat`)";
          };
          dhcpRange = mkOption {
            type = types.nullOr (types.submodule {
              options = {
                start = mkOption {
                  type = types.str;
                  description = "First address handed out";
                };
                end = mkOption {
                  type = types.str;
                  description = "Last address handed out";
                };
              };
            });
            default = null;
            description = "Addresses libvirt's DHCP hands out; without one, every VM on the network needs static addresses (`nat`)";
          };
          domain = mkOption {
            type = types.nullOr types.str;
            default = null;
            description = "DNS domain of the guests (`nat`)";
          };
        };
      });
      default = { };
      description = "Networks VMs attach to, by key";
    };
    vms = mkOption {
      type = types.attrsOf (types.submodule {
        options = {
          image = mkOption {
            type = types.nullOr types.str;
            default = null;
            description = "Key of an entry in images: the system disk is a copy-on-write overlay of it; or give systemDisk";
          };
          memory = mkOption {
            type = types.nullOr (types.strMatching "[[:space:]]*([0-9]+([.][0-9]+)?)[[:space:]]*(B|KiB|MiB|GiB|TiB)[[:space:]]*");
            default = null;
            description = "Memory; default \"2 GiB\"";
          };
          vcpus = mkOption {
            type = types.nullOr types.ints.positive;
            default = null;
            description = "Virtual CPUs; default 1";
          };
          domainType = mkOption {
            type = types.nullOr (types.enum [ "kvm" "qemu" ]);
            default = null;
            description = "\"kvm\" (the default), or \"qemu\": software emulation (TCG) on hosts without /dev/kvm";
          };
          cpu = mkOption {
            type = types.nullOr (types.oneOf [ (types.enum [ "host-passthrough" "host-model" ]) (types.submodule {
              options = {
                model = mkOption {
                  type = types.str;
                  description = "A CPU model QEMU knows by name, e.g. \"Skylake-Client\" or \"qemu64\"";
                };
              };
            }) ]);
            default = null;
            description = "\"host-passthrough\" (the default with kvm), \"host-model\" (kvm only), or { model: \"...\" }; with domainType qemu: a named model, or QEMU's default";
          };
          arch = mkOption {
            type = types.nullOr (types.enum [ "x86_64" "aarch64" ]);
            default = null;
            description = "Guest architecture; default \"x86_64\" (on NixOS the host's, services.cdktf-libvirt.defaultArch)";
          };
          machine = mkOption {
            type = types.nullOr types.str;
            default = null;
            description = "QEMU machine type; default \"q35\" on x86_64, \"virt\" on aarch64";
          };
          systemDiskSize = mkOption {
            type = types.nullOr (types.strMatching "[[:space:]]*([0-9]+([.][0-9]+)?)[[:space:]]*(B|KiB|MiB|GiB|TiB)[[:space:]]*");
            default = null;
            description = "Size of the system disk; default \"20 GiB\"";
          };
          systemDiskRemovalPolicy = mkOption {
            type = types.nullOr (types.enum [ "retain" "destroy" ]);
            default = null;
            description = "What happens to the system disk when it leaves the configuration: retain (the default; it is kept, and a plan that would replace it fails) or destroy";
          };
          pool = mkOption {
            type = types.nullOr types.str;
            default = null;
            description = "Pool of the system disk and the cloud-init seed; default: the image's pool";
          };
          cloudInit = mkOption {
            type = types.nullOr (types.submodule {
              options = {
                users = mkOption {
                  type = types.listOf (types.submodule {
                    options = {
                      name = mkOption {
                        type = types.str;
                        description = "User name";
                      };
                      sshAuthorizedKeys = mkOption {
                        type = types.listOf types.str;
                        default = [ ];
                        description = "Public keys, one per entry (\"ssh-ed25519 AAAA... you@laptop\")";
                      };
                      passwordHash = mkOption {
                        type = types.nullOr (types.oneOf [ types.str (types.submodule {
                          options = {
                            secret = mkOption {
                              type = types.strMatching "[a-z][a-z0-9_]*";
                              description = "Name of a secret (the NixOS module's secrets.<name>); its value becomes the sensitive Terraform variable of that name, TF_VAR_<name>";
                            };
                          };
                        }) ]);
                        default = null;
                        description = "A crypt(3) hash ($6$..., $y$...), or a secret holding one; never a plain password. A hash written here ends up in the configuration (and the Nix store): prefer a secret";
                      };
                      sudo = mkOption {
                        type = types.nullOr types.bool;
                        default = null;
                        description = "Passwordless sudo; default false";
                      };
                      groups = mkOption {
                        type = types.listOf types.str;
                        default = [ ];
                        description = "Supplementary groups";
                      };
                      shell = mkOption {
                        type = types.nullOr types.str;
                        default = null;
                        description = "Login shell; default: the image's";
                      };
                    };
                  });
                  default = [ ];
                  description = "Users created on first boot; default: the image's default user only";
                };
                packages = mkOption {
                  type = types.listOf types.str;
                  default = [ ];
                  description = "Packages installed on first boot";
                };
                runcmd = mkOption {
                  type = types.listOf (types.oneOf [ types.str (types.listOf types.str) ]);
                  default = [ ];
                  description = "Commands run once on first boot: a string for the shell, or an argv list";
                };
                timezone = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "An IANA zone such as Europe/Berlin; default: the image's (usually UTC)";
                };
                fqdn = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "Fully qualified name; it must start with the VM's hostname";
                };
                applyOnChange = mkOption {
                  type = types.nullOr types.bool;
                  default = null;
                  description = "Default false: an existing guest keeps its first-boot configuration when this one changes. true: a change makes the next cold start (shut down, then started) a new cloud-init instance, which runs every first-boot step again, new SSH host keys included";
                };
              };
            });
            default = null;
            description = "User-data on top of the hostname and network configuration, which are always rendered";
          };
          autostart = mkOption {
            type = types.nullOr types.bool;
            default = null;
            description = "Start with the host; default true";
          };
          running = mkOption {
            type = types.nullOr types.bool;
            default = null;
            description = "Keep the VM running; default true";
          };
          firmware = mkOption {
            type = types.nullOr (types.oneOf [ (types.enum [ "bios" "uefi" ]) (types.submodule {
              options = {
                uefi = mkOption {
                  type = types.submodule {
                    options = {
                      loader = mkOption {
                        type = types.nullOr types.str;
                        default = null;
                        description = "Read-only firmware code; default the applying host's, TF_VAR_libvirt_uefi_loader (on NixOS services.cdktf-libvirt.uefi.loader)";
                      };
                      nvramTemplate = mkOption {
                        type = types.nullOr types.str;
                        default = null;
                        description = "The variable store each VM's NVRAM is copied from; default the applying host's, TF_VAR_libvirt_uefi_nvram_template (on NixOS services.cdktf-libvirt.uefi.nvramTemplate)";
                      };
                      nvramDir = mkOption {
                        type = types.nullOr types.str;
                        default = null;
                        description = "Directory of the per-VM NVRAM files; default /var/lib/libvirt/qemu/nvram";
                      };
                      secureBoot = mkOption {
                        type = types.nullOr types.bool;
                        default = null;
                        description = "Secure boot (x86_64): secure-boot firmware with SMM and Microsoft's keys enrolled; without loader and nvramTemplate, the applying host's TF_VAR_libvirt_uefi_secure_loader and TF_VAR_libvirt_uefi_secure_nvram_template (on NixOS services.cdktf-libvirt.uefi.secureLoader, .secureNvramTemplate); default false";
                      };
                    };
                  };
                  description = "UEFI with explicit firmware paths, or secure boot";
                };
              };
            }) ]);
            default = null;
            description = "\"bios\" (the default on x86_64), \"uefi\" (OVMF, the applying host's files; the default on aarch64), or { uefi: { loader, nvramTemplate, nvramDir, secureBoot } }";
          };
          graphics = mkOption {
            type = types.nullOr (types.enum [ "none" "vnc" "spice" ]);
            default = null;
            description = "Graphical console; default \"none\" (the serial console only)";
          };
          shutdownTimeoutSeconds = mkOption {
            type = types.nullOr types.ints.positive;
            default = null;
            description = "Seconds to wait for a clean shutdown before an update forces the VM off, and before a deletion fails; default 120";
          };
          guestAgent = mkOption {
            type = types.nullOr types.bool;
            default = null;
            description = "A qemu-guest-agent channel (and the package); the agent reports addresses; default true";
          };
          waitForAddress = mkOption {
            type = types.nullOr types.bool;
            default = null;
            description = "Make apply wait until the guest reports an address; default false";
          };
          shares = mkOption {
            type = types.listOf (types.submodule {
              options = {
                hostPath = mkOption {
                  type = types.str;
                  description = "Absolute path of the directory on the hypervisor";
                };
                tag = mkOption {
                  type = types.str;
                  description = "The name the guest mounts it by: letters, digits, ., _, -, at most 36";
                };
                driver = mkOption {
                  type = types.nullOr (types.enum [ "virtiofs" "9p" ]);
                  default = null;
                  description = "\"virtiofs\" (the default; libvirt runs virtiofsd, on NixOS virtualisation.libvirtd.qemu.vhostUserPackages = [ pkgs.virtiofsd ]) or \"9p\" (built into QEMU, slower)";
                };
                readOnly = mkOption {
                  type = types.nullOr types.bool;
                  default = null;
                  description = "The guest cannot write to it; default false (9p only on libvirt before 11)";
                };
                mountPoint = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "Where cloud-init mounts it on first boot (fstab, nofail); default: not mounted";
                };
              };
            });
            default = [ ];
            description = "Host directories the guest mounts";
          };
          tpm = mkOption {
            type = types.nullOr types.bool;
            default = null;
            description = "A TPM 2.0 emulated by swtpm (on NixOS virtualisation.libvirtd.qemu.swtpm.enable); default false";
          };
          hugePages = mkOption {
            type = types.nullOr (types.strMatching "[[:space:]]*([0-9]+([.][0-9]+)?)[[:space:]]*(B|KiB|MiB|GiB|TiB)[[:space:]]*");
            default = null;
            description = "Back memory with huge pages of this size (\"2 MiB\" or \"1 GiB\" on x86_64), reserved on the host; default: ordinary pages";
          };
          cpuPinning = mkOption {
            type = types.nullOr (types.submodule {
              options = {
                vcpus = mkOption {
                  type = types.listOf types.str;
                  default = [ ];
                  description = "Host CPUs per vCPU, in vCPU order, as libvirt cpusets (\"2\", \"2-3\", \"0-7,^4\")";
                };
                emulator = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "Host CPUs of QEMU's emulator threads";
                };
              };
            });
            default = null;
            description = "Pin vCPUs and the emulator threads to host CPUs; default: none pinned";
          };
          numa = mkOption {
            type = types.nullOr (types.submodule {
              options = {
                nodeset = mkOption {
                  type = types.str;
                  description = "Host NUMA nodes (\"0\", \"0-1\")";
                };
                mode = mkOption {
                  type = types.nullOr (types.enum [ "strict" "preferred" "interleave" "restrictive" ]);
                  default = null;
                  description = "default \"strict\"";
                };
              };
            });
            default = null;
            description = "Place guest memory on host NUMA nodes; default: wherever the kernel puts it";
          };
          hostDevices = mkOption {
            type = types.listOf (types.submodule {
              options = {
                pci = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "PCI address as lspci -D prints it, e.g. \"0000:01:00.0\"; libvirt binds it to vfio-pci while the VM runs";
                };
                usb = mkOption {
                  type = types.nullOr (types.submodule {
                    options = {
                      vendor = mkOption {
                        type = types.str;
                        description = "Vendor id as lsusb prints it, e.g. \"046d\"";
                      };
                      product = mkOption {
                        type = types.str;
                        description = "Product id, e.g. \"c52b\"";
                      };
                    };
                  });
                  default = null;
                  description = "A USB device by vendor and product id";
                };
              };
            });
            default = [ ];
            description = "Host PCI and USB devices handed to the guest whole; default none";
          };
          systemDisk = mkOption {
            type = types.nullOr (types.submodule {
              options = {
                path = mkOption {
                  type = types.str;
                  description = "Path of the existing volume, as virsh vol-path --pool <pool> <name> prints it; it is attached, never created or deleted";
                };
                pool = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "Pool the volume is in; default: the pool named \"default\"";
                };
                format = mkOption {
                  type = types.nullOr (types.enum [ "qcow2" "raw" ]);
                  default = null;
                  description = "Its format; default \"qcow2\"";
                };
              };
            });
            default = null;
            description = "An existing volume the VM boots from, instead of image: for a VM adopted with importUuid";
          };
          importUuid = mkOption {
            type = types.nullOr types.str;
            default = null;
            description = "Adopt the existing domain with this UUID (virsh domuuid <name> prints it) instead of creating one: the first deploy imports it, then updates it to this configuration, keeping its UUID; give its disks as systemDisk and dataDisks paths and its MACs; default: a new one is created";
          };
          hostname = mkOption {
            type = types.nullOr types.str;
            default = null;
            description = "Guest hostname (an RFC 1123 label); default: the VM's key";
          };
          dataDisks = mkOption {
            type = types.attrsOf (types.submodule {
              options = {
                size = mkOption {
                  type = types.nullOr (types.strMatching "[[:space:]]*([0-9]+([.][0-9]+)?)[[:space:]]*(B|KiB|MiB|GiB|TiB)[[:space:]]*");
                  default = null;
                  description = "Size of a new blank disk";
                };
                path = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "Path of the existing volume, as virsh vol-path --pool <pool> <name> prints it; it is attached, never created or deleted";
                };
                format = mkOption {
                  type = types.nullOr (types.enum [ "qcow2" "raw" ]);
                  default = null;
                  description = "Format of an existing volume; default \"qcow2\"";
                };
                pool = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "Pool of the disk; default: the system disk's";
                };
                removalPolicy = mkOption {
                  type = types.nullOr (types.enum [ "retain" "destroy" ]);
                  default = null;
                  description = "What happens to the disk when it leaves the configuration: retain (the default; it is kept, and a plan that would replace it fails) or destroy";
                };
              };
            });
            default = { };
            description = "Data disks, attached as vdb, vdc, ... in key order: blank ones named <vm>-<key>.qcow2, or existing volumes by path";
          };
          interfaces = mkOption {
            type = types.listOf (types.submodule {
              options = {
                network = mkOption {
                  type = types.str;
                  description = "Key of an entry in networks";
                };
                mac = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "MAC address; default: derived from the host, VM and NIC index, stable across rebuilds";
                };
                addresses = mkOption {
                  type = types.listOf types.str;
                  default = [ ];
                  description = "Static addresses with prefix (\"192.168.1.50/24\"); default DHCP";
                };
                gateway4 = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "IPv4 gateway; default: the network's";
                };
                gateway6 = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "IPv6 gateway; default: the network's";
                };
                nameservers = mkOption {
                  type = types.listOf types.str;
                  default = [ ];
                  description = "DNS servers; default: the network's";
                };
                searchDomains = mkOption {
                  type = types.listOf types.str;
                  default = [ ];
                  description = "Search domains; default: the network's";
                };
              };
            });
            default = [ ];
            description = "Network interfaces, in order";
          };
        };
      });
      default = { };
      description = "Virtual machines, by name (an RFC 1123 label)";
    };
    groups = mkOption {
      type = types.attrsOf (types.submodule {
        options = {
          image = mkOption {
            type = types.str;
            description = "Key of an entry in images: the system disk is a copy-on-write overlay of it";
          };
          memory = mkOption {
            type = types.nullOr (types.strMatching "[[:space:]]*([0-9]+([.][0-9]+)?)[[:space:]]*(B|KiB|MiB|GiB|TiB)[[:space:]]*");
            default = null;
            description = "Memory; default \"2 GiB\"";
          };
          vcpus = mkOption {
            type = types.nullOr types.ints.positive;
            default = null;
            description = "Virtual CPUs; default 1";
          };
          domainType = mkOption {
            type = types.nullOr (types.enum [ "kvm" "qemu" ]);
            default = null;
            description = "\"kvm\" (the default), or \"qemu\": software emulation (TCG) on hosts without /dev/kvm";
          };
          cpu = mkOption {
            type = types.nullOr (types.oneOf [ (types.enum [ "host-passthrough" "host-model" ]) (types.submodule {
              options = {
                model = mkOption {
                  type = types.str;
                  description = "A CPU model QEMU knows by name, e.g. \"Skylake-Client\" or \"qemu64\"";
                };
              };
            }) ]);
            default = null;
            description = "\"host-passthrough\" (the default with kvm), \"host-model\" (kvm only), or { model: \"...\" }; with domainType qemu: a named model, or QEMU's default";
          };
          arch = mkOption {
            type = types.nullOr (types.enum [ "x86_64" "aarch64" ]);
            default = null;
            description = "Guest architecture; default \"x86_64\" (on NixOS the host's, services.cdktf-libvirt.defaultArch)";
          };
          machine = mkOption {
            type = types.nullOr types.str;
            default = null;
            description = "QEMU machine type; default \"q35\" on x86_64, \"virt\" on aarch64";
          };
          systemDiskSize = mkOption {
            type = types.nullOr (types.strMatching "[[:space:]]*([0-9]+([.][0-9]+)?)[[:space:]]*(B|KiB|MiB|GiB|TiB)[[:space:]]*");
            default = null;
            description = "Size of the system disk; default \"20 GiB\"";
          };
          systemDiskRemovalPolicy = mkOption {
            type = types.nullOr (types.enum [ "retain" "destroy" ]);
            default = null;
            description = "What happens to the system disk when it leaves the configuration: retain (the default; it is kept, and a plan that would replace it fails) or destroy";
          };
          pool = mkOption {
            type = types.nullOr types.str;
            default = null;
            description = "Pool of the system disk and the cloud-init seed; default: the image's pool";
          };
          cloudInit = mkOption {
            type = types.nullOr (types.submodule {
              options = {
                users = mkOption {
                  type = types.listOf (types.submodule {
                    options = {
                      name = mkOption {
                        type = types.str;
                        description = "User name";
                      };
                      sshAuthorizedKeys = mkOption {
                        type = types.listOf types.str;
                        default = [ ];
                        description = "Public keys, one per entry (\"ssh-ed25519 AAAA... you@laptop\")";
                      };
                      passwordHash = mkOption {
                        type = types.nullOr (types.oneOf [ types.str (types.submodule {
                          options = {
                            secret = mkOption {
                              type = types.strMatching "[a-z][a-z0-9_]*";
                              description = "Name of a secret (the NixOS module's secrets.<name>); its value becomes the sensitive Terraform variable of that name, TF_VAR_<name>";
                            };
                          };
                        }) ]);
                        default = null;
                        description = "A crypt(3) hash ($6$..., $y$...), or a secret holding one; never a plain password. A hash written here ends up in the configuration (and the Nix store): prefer a secret";
                      };
                      sudo = mkOption {
                        type = types.nullOr types.bool;
                        default = null;
                        description = "Passwordless sudo; default false";
                      };
                      groups = mkOption {
                        type = types.listOf types.str;
                        default = [ ];
                        description = "Supplementary groups";
                      };
                      shell = mkOption {
                        type = types.nullOr types.str;
                        default = null;
                        description = "Login shell; default: the image's";
                      };
                    };
                  });
                  default = [ ];
                  description = "Users created on first boot; default: the image's default user only";
                };
                packages = mkOption {
                  type = types.listOf types.str;
                  default = [ ];
                  description = "Packages installed on first boot";
                };
                runcmd = mkOption {
                  type = types.listOf (types.oneOf [ types.str (types.listOf types.str) ]);
                  default = [ ];
                  description = "Commands run once on first boot: a string for the shell, or an argv list";
                };
                timezone = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "An IANA zone such as Europe/Berlin; default: the image's (usually UTC)";
                };
                fqdn = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "Fully qualified name; it must start with the VM's hostname";
                };
                applyOnChange = mkOption {
                  type = types.nullOr types.bool;
                  default = null;
                  description = "Default false: an existing guest keeps its first-boot configuration when this one changes. true: a change makes the next cold start (shut down, then started) a new cloud-init instance, which runs every first-boot step again, new SSH host keys included";
                };
              };
            });
            default = null;
            description = "User-data on top of the hostname and network configuration, which are always rendered";
          };
          autostart = mkOption {
            type = types.nullOr types.bool;
            default = null;
            description = "Start with the host; default true";
          };
          running = mkOption {
            type = types.nullOr types.bool;
            default = null;
            description = "Keep the VM running; default true";
          };
          firmware = mkOption {
            type = types.nullOr (types.oneOf [ (types.enum [ "bios" "uefi" ]) (types.submodule {
              options = {
                uefi = mkOption {
                  type = types.submodule {
                    options = {
                      loader = mkOption {
                        type = types.nullOr types.str;
                        default = null;
                        description = "Read-only firmware code; default the applying host's, TF_VAR_libvirt_uefi_loader (on NixOS services.cdktf-libvirt.uefi.loader)";
                      };
                      nvramTemplate = mkOption {
                        type = types.nullOr types.str;
                        default = null;
                        description = "The variable store each VM's NVRAM is copied from; default the applying host's, TF_VAR_libvirt_uefi_nvram_template (on NixOS services.cdktf-libvirt.uefi.nvramTemplate)";
                      };
                      nvramDir = mkOption {
                        type = types.nullOr types.str;
                        default = null;
                        description = "Directory of the per-VM NVRAM files; default /var/lib/libvirt/qemu/nvram";
                      };
                      secureBoot = mkOption {
                        type = types.nullOr types.bool;
                        default = null;
                        description = "Secure boot (x86_64): secure-boot firmware with SMM and Microsoft's keys enrolled; without loader and nvramTemplate, the applying host's TF_VAR_libvirt_uefi_secure_loader and TF_VAR_libvirt_uefi_secure_nvram_template (on NixOS services.cdktf-libvirt.uefi.secureLoader, .secureNvramTemplate); default false";
                      };
                    };
                  };
                  description = "UEFI with explicit firmware paths, or secure boot";
                };
              };
            }) ]);
            default = null;
            description = "\"bios\" (the default on x86_64), \"uefi\" (OVMF, the applying host's files; the default on aarch64), or { uefi: { loader, nvramTemplate, nvramDir, secureBoot } }";
          };
          graphics = mkOption {
            type = types.nullOr (types.enum [ "none" "vnc" "spice" ]);
            default = null;
            description = "Graphical console; default \"none\" (the serial console only)";
          };
          shutdownTimeoutSeconds = mkOption {
            type = types.nullOr types.ints.positive;
            default = null;
            description = "Seconds to wait for a clean shutdown before an update forces the VM off, and before a deletion fails; default 120";
          };
          guestAgent = mkOption {
            type = types.nullOr types.bool;
            default = null;
            description = "A qemu-guest-agent channel (and the package); the agent reports addresses; default true";
          };
          waitForAddress = mkOption {
            type = types.nullOr types.bool;
            default = null;
            description = "Make apply wait until the guest reports an address; default false";
          };
          shares = mkOption {
            type = types.listOf (types.submodule {
              options = {
                hostPath = mkOption {
                  type = types.str;
                  description = "Absolute path of the directory on the hypervisor";
                };
                tag = mkOption {
                  type = types.str;
                  description = "The name the guest mounts it by: letters, digits, ., _, -, at most 36";
                };
                driver = mkOption {
                  type = types.nullOr (types.enum [ "virtiofs" "9p" ]);
                  default = null;
                  description = "\"virtiofs\" (the default; libvirt runs virtiofsd, on NixOS virtualisation.libvirtd.qemu.vhostUserPackages = [ pkgs.virtiofsd ]) or \"9p\" (built into QEMU, slower)";
                };
                readOnly = mkOption {
                  type = types.nullOr types.bool;
                  default = null;
                  description = "The guest cannot write to it; default false (9p only on libvirt before 11)";
                };
                mountPoint = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "Where cloud-init mounts it on first boot (fstab, nofail); default: not mounted";
                };
              };
            });
            default = [ ];
            description = "Host directories the guest mounts";
          };
          tpm = mkOption {
            type = types.nullOr types.bool;
            default = null;
            description = "A TPM 2.0 emulated by swtpm (on NixOS virtualisation.libvirtd.qemu.swtpm.enable); default false";
          };
          hugePages = mkOption {
            type = types.nullOr (types.strMatching "[[:space:]]*([0-9]+([.][0-9]+)?)[[:space:]]*(B|KiB|MiB|GiB|TiB)[[:space:]]*");
            default = null;
            description = "Back memory with huge pages of this size (\"2 MiB\" or \"1 GiB\" on x86_64), reserved on the host; default: ordinary pages";
          };
          cpuPinning = mkOption {
            type = types.nullOr (types.submodule {
              options = {
                vcpus = mkOption {
                  type = types.listOf types.str;
                  default = [ ];
                  description = "Host CPUs per vCPU, in vCPU order, as libvirt cpusets (\"2\", \"2-3\", \"0-7,^4\")";
                };
                emulator = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "Host CPUs of QEMU's emulator threads";
                };
              };
            });
            default = null;
            description = "Pin vCPUs and the emulator threads to host CPUs; default: none pinned";
          };
          numa = mkOption {
            type = types.nullOr (types.submodule {
              options = {
                nodeset = mkOption {
                  type = types.str;
                  description = "Host NUMA nodes (\"0\", \"0-1\")";
                };
                mode = mkOption {
                  type = types.nullOr (types.enum [ "strict" "preferred" "interleave" "restrictive" ]);
                  default = null;
                  description = "default \"strict\"";
                };
              };
            });
            default = null;
            description = "Place guest memory on host NUMA nodes; default: wherever the kernel puts it";
          };
          hostDevices = mkOption {
            type = types.listOf (types.submodule {
              options = {
                pci = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "PCI address as lspci -D prints it, e.g. \"0000:01:00.0\"; libvirt binds it to vfio-pci while the VM runs";
                };
                usb = mkOption {
                  type = types.nullOr (types.submodule {
                    options = {
                      vendor = mkOption {
                        type = types.str;
                        description = "Vendor id as lsusb prints it, e.g. \"046d\"";
                      };
                      product = mkOption {
                        type = types.str;
                        description = "Product id, e.g. \"c52b\"";
                      };
                    };
                  });
                  default = null;
                  description = "A USB device by vendor and product id";
                };
              };
            });
            default = [ ];
            description = "Host PCI and USB devices handed to the guest whole; default none";
          };
          count = mkOption {
            type = types.ints.positive;
            description = "How many identical VMs";
          };
          hostnamePrefix = mkOption {
            type = types.str;
            description = "VMs are named <prefix>-1, <prefix>-2, ...";
          };
          dataDisks = mkOption {
            type = types.attrsOf (types.submodule {
              options = {
                size = mkOption {
                  type = types.strMatching "[[:space:]]*([0-9]+([.][0-9]+)?)[[:space:]]*(B|KiB|MiB|GiB|TiB)[[:space:]]*";
                  description = "Disk size";
                };
                removalPolicy = mkOption {
                  type = types.nullOr (types.enum [ "retain" "destroy" ]);
                  default = null;
                  description = "What happens to the disk when it leaves the configuration: retain (the default; it is kept, and a plan that would replace it fails) or destroy";
                };
              };
            });
            default = { };
            description = "Blank disks every VM of the group gets its own copy of";
          };
          interfaces = mkOption {
            type = types.listOf (types.submodule {
              options = {
                network = mkOption {
                  type = types.str;
                  description = "Key of an entry in networks";
                };
                addressRange = mkOption {
                  type = types.nullOr (types.submodule {
                    options = {
                      start = mkOption {
                        type = types.str;
                        description = "Address (with prefix) of the first VM";
                      };
                      end = mkOption {
                        type = types.nullOr types.str;
                        default = null;
                        description = "Last address the group may use";
                      };
                    };
                  });
                  default = null;
                  description = "Consecutive static addresses for the group's VMs; default DHCP";
                };
                macBase = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "MAC of the first VM's interface; each next VM's is one more (52:54:00:10:00:00, 52:54:00:10:00:01, ...); default: derived per VM, stable across rebuilds";
                };
                gateway4 = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "IPv4 gateway; default: the network's";
                };
                gateway6 = mkOption {
                  type = types.nullOr types.str;
                  default = null;
                  description = "IPv6 gateway; default: the network's";
                };
              };
            });
            default = [ ];
            description = "Network interfaces of every VM of the group";
          };
        };
      });
      default = { };
      description = "Groups of identical VMs";
    };
  };

  backend = mkOption {
    type = types.nullOr (types.submodule {
      options = {
        type = mkOption {
          type = types.enum [ "local" "pg" "s3" ];
          description = "`local`: terraform.tfstate under deploy's --state-dir (the default); `pg`: PostgreSQL (Terraform's pg backend, locked); the connection string comes from PG_CONN_STR at apply time, never from here; `s3`: S3 or an S3-compatible store, locked by a lock file; credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY at apply time";
        };
        schemaName = mkOption {
          type = types.nullOr types.str;
          default = null;
          description = "The schema holding the state; default \"terraform_remote_state\" (`pg`)";
        };
        bucket = mkOption {
          type = types.nullOr types.str;
          default = null;
          description = "The bucket (`s3`)";
        };
        key = mkOption {
          type = types.nullOr types.str;
          default = null;
          description = "The object holding the state, e.g. \"hypervisors/web.tfstate\" (`s3`)";
        };
        region = mkOption {
          type = types.nullOr types.str;
          default = null;
          description = "default \"us-east-1\" (`s3`)";
        };
        endpoint = mkOption {
          type = types.nullOr types.str;
          default = null;
          description = "An S3-compatible store's URL (MinIO, Garage); default AWS (`s3`)";
        };
      };
    });
    default = null;
    description = "Where the stack's state lives; default local";
  };

  # The fields each variant of a union takes (e.g. what a network of type "nat" may set), and requires.
  fieldsByType = {
    networks = {
      host-bridge = [ "bridge" "subnets" "gateway4" "gateway6" "nameservers" "searchDomains" ];
      bridge = [ "bridge" "name" "importUuid" "subnets" "gateway4" "gateway6" "nameservers" "searchDomains" ];
      nat = [ "subnet" "dhcpRange" "domain" "bridge" "name" "importUuid" ];
    };
    backend = {
      local = [  ];
      pg = [ "schemaName" ];
      s3 = [ "bucket" "key" "region" "endpoint" ];
    };
  };
  requiredByType = {
    networks = {
      host-bridge = [ "bridge" ];
      bridge = [ "bridge" ];
      nat = [ "subnet" ];
    };
    backend = {
      local = [  ];
      pg = [  ];
      s3 = [ "bucket" "key" ];
    };
  };

  patterns = {
    # an RFC 1123 label: VM, pool and stack names, the spec's keys
    label = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
  };

  # The dmacvicar/libvirt releases the stacks accept (their required_providers), for the module's check.
  providerVersions = {
    minimum = "0.9.7";
    below = "0.10.0";
    constraint = ">= 0.9.7, < 0.10.0";
  };

  # The Terraform variables a UEFI VM without its own paths reads the host's firmware files from.
  uefiVariables = {
    loader = "libvirt_uefi_loader";
    nvramTemplate = "libvirt_uefi_nvram_template";
    secureLoader = "libvirt_uefi_secure_loader";
    secureNvramTemplate = "libvirt_uefi_secure_nvram_template";
  };
}

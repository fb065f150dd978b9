# The parts of the cdktf-libvirt systemd unit that follow from plain values: the deploy command line,
# the environment, the credentials, the state directory, the unit's dependencies, and the checks the
# module turns into assertions. Builtins only, so the tests evaluate it without nixpkgs.
#
# Takes the option values of services.cdktf-libvirt plus the store paths the module resolves:
# deployProgram, tofuProgram, pluginDir (or null), and specFile (the stack from the attribute sets) or
# app (a cdktf app of the user's own, synthesized by running its cdktf.json's "app"); uefi is the
# host's firmware files ({ loader, nvramTemplate }, each a path or null). Secret files are
# only ever named by path here (LoadCredential=NAME:PATH); nothing reads them.
{
  stack,
  hostId ? "local",
  uri ? null,
  stateDir ? "/var/lib/cdktf-libvirt",
  user ? "cdktf-libvirt",
  deployProgram,
  tofuProgram,
  pluginDir ? null,
  cliConfig ? null,
  lockTimeout ? "5m",
  allowDestroy ? [ ],
  secrets ? { },
  extraArgs ? [ ],
  specFile ? null,
  app ? null,
  uefi ? { },
  # for a qemu+ssh:// uri: { identityFile (a path outside the store, loaded as a credential),
  # knownHostsFile (a path), user }, each optional
  ssh ? { },
  # the state backend's credentials, which terraform reads from its environment:
  # [ { env = "PG_CONN_STR"; file = "/run/secrets/pg"; field = "connectionStringFile"; } ], files outside the store
  backendCredentials ? [ ],
  ...
}@values:
let
  inherit (builtins)
    all
    any
    attrNames
    concatLists
    concatMap
    concatStringsSep
    elemAt
    filter
    genList
    isAttrs
    isList
    isString
    length
    match
    replaceStrings
    stringLength
    substring
    toJSON
    ;

  hasPrefix = prefix: s: substring 0 (stringLength prefix) s == prefix;
  matches = regex: s: isString s && match regex s != null;
  opt = "services.cdktf-libvirt";

  cacheDir = "/var/cache/cdktf-libvirt";
  synthDir = "${cacheDir}/synth";

  secretNames = attrNames secrets;
  backendCredential = c: "backend_${c.env}";

  # The same rules as lib.escapeSystemdExecArg: a JSON string, with systemd's % and $ specifiers doubled.
  escapeExecArg = arg: replaceStrings [ "%" "$" ] [ "%%" "$$" ] (toJSON arg);

  argv =
    [
      deployProgram
      "--stack"
      stack
      "--synth-dir"
      synthDir
      "--state-dir"
      stateDir
      "--binary"
      tofuProgram
      "--lock-timeout"
      lockTimeout
    ]
    ++ (if pluginDir == null then [ ] else [ "--plugin-dir" pluginDir ])
    ++ (if cliConfig == null then [ ] else [ "--cli-config" cliConfig ])
    ++ concatMap (address: [ "--allow-destroy" address ]) allowDestroy
    ++ concatMap (name: [ "--secret" name ]) secretNames
    ++ concatMap (c: [ "--secret" "${c.env}=${backendCredential c}" ]) backendCredentials
    # the user's app is synthesized in its own (read-only) directory, by its cdktf.json's "app"
    ++ (if app == null then [ ] else [ "--app-dir" "${app}" ])
    ++ extraArgs;

  # qemu:///system, qemu+unix:///system: no host part, so the local libvirtd; unset (null) is the app's
  # default, the local system libvirtd
  localLibvirt = uri == null || matches "[a-z0-9+]+:///.*" uri;

  # An SSH remote as the unit reaches it: the user, the identity the unit loads as a credential, and the
  # known hosts, put into the URI as the provider reads it (it expands $CREDENTIALS_DIRECTORY itself).
  sshIdentity = ssh.identityFile or null;
  sshKnownHosts = ssh.knownHostsFile or null;
  sshUser = ssh.user or null;
  sshUsed = sshIdentity != null || sshKnownHosts != null || sshUser != null;
  sshUriParts = if isString uri then match "([a-z]+[+]ssh)://(([^@/]*)@)?([^/?]+)(/[^?]*)(\\?(.*))?" uri else null;
  sshUri =
    let
      parts = sshUriParts;
      scheme = elemAt parts 0;
      user = if elemAt parts 2 != null then elemAt parts 2 else sshUser;
      query = filter (q: q != null && q != "") [
        (elemAt parts 6)
        (if sshIdentity == null then null else "keyfile=$CREDENTIALS_DIRECTORY/${sshCredential}")
        (if sshKnownHosts == null then null else "knownhosts=${sshKnownHosts}")
      ];
    in
    "${scheme}://${if user == null then "" else "${user}@"}${elemAt parts 3}${elemAt parts 4}${if query == [ ] then "" else "?${concatStringsSep "&" query}"}";
  sshCredential = "ssh-identity";
  effectiveUri = if sshUsed && sshUriParts != null then sshUri else uri;

  underVarLib = hasPrefix "/var/lib/" stateDir && stringLength stateDir > stringLength "/var/lib/";

  # Every { secret = "<name>"; } in the spec, with the option path it was found at.
  hostSpec =
    let
      spec = import ./spec.nix values;
    in
    spec.stacks.${stack}.hosts.${hostId};
  secretRefs =
    let
      walk =
        path: v:
        if isAttrs v then
          if attrNames v == [ "secret" ] && isString v.secret then
            [
              {
                name = v.secret;
                at = path;
              }
            ]
          else
            concatMap (n: walk "${path}.${n}" v.${n}) (attrNames v)
        else if isList v then
          concatLists (genList (i: walk "${path}[${toString i}]" (elemAt v i)) (length v))
        else
          [ ];
    in
    walk opt hostSpec;

  generated = import ./options.nix { lib = null; };
  inherit (generated.patterns) label;

  # The host's UEFI files reach the stack as Terraform variables (the constructs' UEFI_VARIABLES).
  uefiFields = filter (field: (uefi.${field} or null) != null) (attrNames generated.uefiVariables);
  uefiEnvironment = builtins.listToAttrs (
    map (field: {
      name = "TF_VAR_${generated.uefiVariables.${field}}";
      value = uefi.${field};
    }) uefiFields
  );

  # Every VM (or group) of the spec whose UEFI firmware takes a path from the host: `firmware = "uefi"`,
  # or `{ uefi = { ... }; }` without that path.
  uefiUsers =
    field:
    let
      machines =
        kind:
        map (
          name:
          let
            m = hostSpec.${kind}.${name};
          in
          {
            at = "${opt}.${kind}.${name}.firmware";
            firmware = m.firmware or null;
            arch = m.arch or null;
          }
        ) (attrNames (hostSpec.${kind} or { }));
      # a secure-boot VM takes secureLoader/secureNvramTemplate where another takes loader/nvramTemplate
      secureField = field == "secureLoader" || field == "secureNvramTemplate";
      pathField = if field == "secureLoader" then "loader" else if field == "secureNvramTemplate" then "nvramTemplate" else field;
      secure = m: isAttrs m.firmware && m.firmware ? uefi && (m.firmware.uefi.secureBoot or false) == true;
      # aarch64 boots UEFI by default
      uefiFromHost =
        m: m.firmware == "uefi" || (m.firmware == null && m.arch == "aarch64") || (isAttrs m.firmware && m.firmware ? uefi && !(m.firmware.uefi ? ${pathField}));
      needs = m: uefiFromHost m && secure m == secureField;
    in
    map (m: m.at) (filter needs (machines "vms" ++ machines "groups"));
  goDuration = "([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+";
  # "]" first in a bracket expression is literal (POSIX ERE has no backslash escapes there)
  addressChar = "[]A-Za-z0-9_.:\"[-]";
  resourceAddress = "${addressChar}*[.]${addressChar}+";
in
rec {
  inherit
    argv
    localLibvirt
    secretRefs
    synthDir
    cacheDir
    ;

  # the libvirt URI the spec gets: `uri`, with the SSH options in it
  uri = effectiveUri;

  execStart = concatStringsSep " " (map escapeExecArg argv);

  # "what would this rebuild do?": the same run, planned and reported, nothing applied
  planArgv = argv ++ [ "--plan-only" ];
  planExecStart = concatStringsSep " " (map escapeExecArg (argv ++ [ "--plan-only" ]));

  environment = (if app == null then { CDKTF_LIBVIRT_SPEC = "${specFile}"; } else { }) // {
    # `cdktf synth` runs `<this> version`; there is no terraform on the unit's PATH
    TERRAFORM_BINARY_NAME = tofuProgram;
    CHECKPOINT_DISABLE = "1";
  } // uefiEnvironment;

  loadCredential =
    map (name: "${name}:${secrets.${name}}") secretNames
    ++ map (c: "${backendCredential c}:${c.file}") backendCredentials
    ++ (if sshIdentity == null then [ ] else [ "${sshCredential}:${sshIdentity}" ]);

  # StateDirectory= only covers /var/lib; anywhere else the module makes the directory with tmpfiles.
  stateDirectory = if underVarLib then substring (stringLength "/var/lib/") (-1) stateDir else null;
  readWritePaths = if underVarLib then [ ] else [ stateDir ];
  tmpfiles = if underVarLib then [ ] else [ "d ${stateDir} 0700 ${user} ${user} -" ];

  requires = if localLibvirt then [ "libvirtd.service" ] else [ ];
  after = [ "network-online.target" ] ++ requires;
  wants = [ "network-online.target" ];
  supplementaryGroups = if localLibvirt then [ "libvirtd" ] else [ ];

  # Pure checks; module.nix appends them to `assertions`, each naming the option it is about.
  assertions =
    [
      {
        assertion = matches label stack;
        message = "${opt}.stack: \"${toString stack}\" must be an RFC 1123 label (lowercase letters, digits, inner hyphens, 1-63 characters); it names the stack and its state directory.";
      }
      {
        assertion = matches label hostId;
        message = "${opt}.hostId: \"${toString hostId}\" must be an RFC 1123 label; it prefixes every resource address (e.g. libvirt_domain.${toString hostId}_testvm).";
      }
      {
        assertion = hasPrefix "/" stateDir && stateDir != "/" && !(hasPrefix "/nix/store" stateDir);
        message = "${opt}.stateDir: \"${stateDir}\" must be an absolute path outside the Nix store; it holds the Terraform state.";
      }
      {
        assertion = (app == null) != (specFile == null);
        message = "${opt}: give the stack either as attribute sets (vms, networks, ...) or as ${opt}.app, a cdktf app of your own; not both.";
      }
      {
        assertion = matches goDuration lockTimeout;
        message = "${opt}.lockTimeout: \"${lockTimeout}\" is not a duration such as \"30s\", \"5m\" or \"1h30m\".";
      }
    ]
    ++ map (name: {
      assertion = matches "[a-z][a-z0-9_]*" name;
      message = "${opt}.secrets.${name}: a secret's name must be lowercase letters, digits and _, starting with a letter; it becomes the Terraform variable ${name} (TF_VAR_${name}) and a credential name.";
    }) secretNames
    ++ map (name: {
      assertion =
        isString secrets.${name} && hasPrefix "/" secrets.${name} && !(hasPrefix "/nix/store/" secrets.${name});
      message = "${opt}.secrets.${name}: give the path of a file outside the Nix store as a string (e.g. \"/run/secrets/${name}\"), not its contents and not a Nix path like ./secret: anything in the store is world-readable.";
    }) secretNames
    ++ map (c: {
      assertion = isString c.file && hasPrefix "/" c.file && !(hasPrefix "/nix/store/" c.file);
      message = "${opt}.backendCredentials.${c.field}: give the path of a file outside the Nix store as a string (e.g. \"/run/secrets/${c.field}\"); the unit loads it as a credential.";
    }) backendCredentials
    ++ map (ref: {
      assertion = secrets ? ${ref.name};
      message = "${ref.at} refers to the secret \"${ref.name}\", but ${opt}.secrets.${ref.name} is not set (the path of the file that holds it).";
    }) secretRefs
    ++ concatMap (
      field:
      map (at: {
        assertion = (uefi.${field} or null) != null;
        message = "${at}: UEFI takes its ${field} from the host, but ${opt}.uefi.${field} is null; enable ${opt}.host (its host.ovmf part provides the firmware) or name the host's file there (e.g. \"${(import ./uefi.nix { layout = "edk2"; }).${field}}\").";
      }) (if app == null then uefiUsers field else [ ])
    ) (attrNames generated.uefiVariables)
    ++ (
      if sshUsed then
        [
          {
            assertion = sshUriParts != null;
            message = "${opt}.ssh is set, but ${opt}.uri ${if uri == null then "is unset" else "\"${uri}\" is not a qemu+ssh:// URI"}; the SSH options are for a remote libvirtd such as \"qemu+ssh://root@hv1/system\".";
          }
          {
            assertion = sshUriParts == null || sshUser == null || elemAt sshUriParts 2 == null || elemAt sshUriParts 2 == sshUser;
            message = "${opt}.ssh.user: \"${toString sshUser}\" differs from the user in ${opt}.uri; give it in one place.";
          }
          {
            assertion = sshIdentity == null || (isString sshIdentity && hasPrefix "/" sshIdentity && !(hasPrefix "/nix/store/" sshIdentity));
            message = "${opt}.ssh.identityFile: give the path of a root-readable file outside the Nix store as a string (e.g. \"/run/secrets/hv1-ssh-key\"); the unit loads it as a credential.";
          }
        ]
      else
        [ ]
    )
    ++ map (address: {
      assertion = matches resourceAddress address;
      message = "${opt}.allowDestroy: \"${address}\" is not a resource address like \"libvirt_volume.local_testvm_SystemDisk_1a2b3c4d\" (see `tofu state list` in the stack's state directory).";
    }) allowDestroy;

  # (an app of the user's own declares its Secrets in TypeScript, where this cannot look)
  warnings = map (name: "${opt}.secrets.${name} is set but nothing in the spec refers to { secret = \"${name}\"; }; it is still passed to the unit.") (
    filter (name: app == null && !(any (ref: ref.name == name) secretRefs)) secretNames
  );

  # Everything above that decides what the unit does; a change to it re-runs the unit on rebuild.
  settings = {
    inherit
      argv
      loadCredential
      environment
      supplementaryGroups
      ;
  };

  # For the tests: true when every assertion holds.
  ok = all (a: a.assertion) assertions;
}

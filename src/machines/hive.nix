# A raw colmena hive (a flake's `colmena` output) evaluated the way colmena
# evaluates it, for flake mode: a function of the hive, to its nodes' NixOS
# evaluations (each with `config` and `extendModules`).
# - A hive that is a function is called with no arguments.
# - `meta` (or NixOps' `network`) holds the initialized nixpkgs
#   (`import nixpkgs { ... }`, per node in `nodeNixpkgs`), `specialArgs`
#   and `nodeSpecialArgs`.
# - Each node is evaluated with that nixpkgs' nixos/lib/eval-config.nix,
#   from the hive's `defaults` and its own module (or list of modules), with
#   `name` and `nodes` as arguments; the overlays and config of its nixpkgs
#   become its `nixpkgs.overlays`/`nixpkgs.config`.
# - `deployment.*` is declared as colmena declares it, defaults included, so
#   modules that read `config.deployment.targetHost` or a key's `path` work.
raw:
let
  hive = if builtins.isFunction raw then raw { } else raw;
  meta = hive.meta or hive.network or { };
  reserved = [ "defaults" "network" "meta" ];
  names = builtins.filter (n: !(builtins.elem n reserved)) (builtins.attrNames hive);
  nixpkgsOf = name:
    let
      pkgs = (meta.nodeNixpkgs or { }).${name} or meta.nixpkgs or
        (throw "nixvm: the hive sets no meta.nixpkgs; in a flake colmena needs `meta.nixpkgs = import nixpkgs { system = ...; }`");
    in
    if pkgs ? type && pkgs.type == "derivation" then
      throw "nixvm: `meta.nixpkgs` of the hive is a package, not nixpkgs; colmena needs `meta.nixpkgs = import nixpkgs { system = ...; }`"
    else pkgs;

  nixpkgsSettings = pkgs: { lib, ... }: {
    nixpkgs.overlays = lib.mkBefore (pkgs.overlays or [ ]);
    nixpkgs.config = lib.mkBefore (pkgs.config or { });
  };

  key = { name, config, lib, ... }: with lib.types; {
    options = {
      name = lib.mkOption { type = str; default = name; description = "The key's file name."; };
      text = lib.mkOption { type = nullOr str; default = null; description = "The key's content."; };
      keyFile = lib.mkOption { type = nullOr path; default = null; description = "A local file holding the key."; };
      keyCommand = lib.mkOption { type = nullOr (listOf str); default = null; description = "A command printing the key."; };
      destDir = lib.mkOption { type = path; default = "/run/keys"; description = "Where the key goes on the node."; };
      path = lib.mkOption { type = path; default = "${config.destDir}/${config.name}"; description = "The key's path on the node."; };
      user = lib.mkOption { type = str; default = "root"; description = "The key's owner."; };
      group = lib.mkOption { type = str; default = "root"; description = "The key's group."; };
      permissions = lib.mkOption { type = str; default = "0600"; description = "The key's mode."; };
      uploadAt = lib.mkOption { type = enum [ "pre-activation" "post-activation" ]; default = "pre-activation"; description = "When colmena uploads it."; };
    };
  };

  deployment = { name, lib, ... }: with lib.types; {
    options.deployment = {
      targetHost = lib.mkOption { type = nullOr str; default = name; description = "The host colmena deploys to."; };
      targetPort = lib.mkOption { type = nullOr ints.unsigned; default = null; description = "Its ssh port."; };
      targetUser = lib.mkOption { type = nullOr str; default = "root"; description = "The user colmena logs in as."; };
      allowLocalDeployment = lib.mkOption { type = bool; default = false; description = "Whether `colmena apply-local` may apply it."; };
      buildOnTarget = lib.mkOption { type = bool; default = false; description = "Whether the node builds its own system."; };
      tags = lib.mkOption { type = listOf str; default = [ ]; description = "Tags to select nodes by."; };
      keys = lib.mkOption { type = attrsOf (submodule key); default = { }; description = "Secrets colmena uploads."; };
      replaceUnknownProfiles = lib.mkOption { type = bool; default = true; description = "Whether to replace a profile colmena did not make."; };
      privilegeEscalationCommand = lib.mkOption { type = listOf str; default = [ "sudo" "-H" "--" ]; description = "How to become root."; };
    };
  };

  node = name:
    let
      pkgs = nixpkgsOf name;
      own = hive.${name};
    in
    import (pkgs.path + "/nixos/lib/eval-config.nix") {
      inherit (pkgs) system;
      modules = [ (nixpkgsSettings pkgs) deployment (hive.defaults or { }) ]
        ++ (if builtins.isList own then own else [ own ]);
      specialArgs = (meta.specialArgs or { }) // ((meta.nodeSpecialArgs or { }).${name} or { }) // { inherit name nodes; };
    };

  nodes = builtins.listToAttrs (map (name: { inherit name; value = node name; }) names);
in
nodes

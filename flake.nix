{
  description = "nixvm: turn NixOS configurations into QEMU VMs you can boot, log into and update in place";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
      cargoToml = builtins.fromTOML (builtins.readFile ./Cargo.toml);
    in
    {
      packages = forAllSystems (pkgs: rec {
        nixvm = pkgs.rustPlatform.buildRustPackage {
          pname = "nixvm";
          version = cargoToml.package.version;
          src = pkgs.lib.cleanSource ./.;
          cargoLock.lockFile = ./Cargo.lock;
          # The tests check rewritten files with `nix-instantiate --parse` and
          # walk directories the way git would see them. Those that evaluate
          # and build flakes need a store nix can write to, which the build
          # sandbox has not: they print why and skip (CI runs them all).
          nativeCheckInputs = [ pkgs.nix pkgs.git ];
          nativeBuildInputs = [ pkgs.installShellFiles ];
          # Completions and man pages come from nixvm itself, so they are
          # made only where the build can run what it built.
          postInstall = pkgs.lib.optionalString (pkgs.stdenv.buildPlatform.canExecute pkgs.stdenv.hostPlatform) ''
            installShellCompletion --cmd nixvm \
              --bash <($out/bin/nixvm completions bash) \
              --zsh <($out/bin/nixvm completions zsh) \
              --fish <($out/bin/nixvm completions fish)
            $out/bin/nixvm man > nixvm.1
            for command in lint check explain kb init build run up down ssh deploy secrets status test logs clean completions man; do
              $out/bin/nixvm man "$command" > "nixvm-$command.1"
            done
            installManPage nixvm*.1
          '';
          meta = {
            description = cargoToml.package.description;
            license = pkgs.lib.licenses.mit;
            mainProgram = "nixvm";
          };
        };
        default = nixvm;
      });

      templates.default = {
        path = ./template;
        description = "A nixvm project: one example machine as a VM, pinned nixpkgs";
      };

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          inputsFrom = [ self.packages.${pkgs.stdenv.hostPlatform.system}.nixvm ];
          packages = [ pkgs.clippy pkgs.rustfmt pkgs.cargo-insta pkgs.nix ];
        };
      });
    };
}

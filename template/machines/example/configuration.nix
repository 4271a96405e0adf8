# The example machine: replace this with your server's configuration
# (or run `nixvm init --from /etc/nixos/configuration.nix` instead).
{ config, pkgs, ... }:
{
  networking.hostName = "example";
  services.openssh.enable = true;
  environment.systemPackages = [ pkgs.htop ];
  system.stateVersion = "25.11";
}

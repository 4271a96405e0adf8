# A mail relay as it runs on its rented machine.
{ config, pkgs, ... }:
{
  imports = [
    ./services/relay.nix
  ];

  networking.hostName = "relay";
  services.timesyncd.enable = true;
  users.motd = builtins.readFile ./motd.txt;
  system.stateVersion = "24.11";
}

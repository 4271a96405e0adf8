# A small web server, as nixos-generate-config and a few evenings left it.
{ config, pkgs, ... }:

{
  imports =
    [ # Include the results of the hardware scan.
      ./hardware-configuration.nix
      ./web.nix
    ];

  boot.loader.grub.enable = true;
  boot.loader.grub.device = "/dev/sda";

  networking.hostName = "web1";
  networking.interfaces.enp3s0.ipv4.addresses = [
    { address = "192.0.2.10"; prefixLength = 24; }
  ];
  networking.defaultGateway = "192.0.2.1";

  # Keep the clock in sync with the rest of the rack.
  services.timesyncd.enable = true;

  services.openssh = {
    enable = true;
    settings.PermitRootLogin = "no";
  };

  users.mutableUsers = false;
  users.users.admin = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
    hashedPasswordFile = "/run/secrets/admin-password";
  };

  virtualisation.memorySize = 2048;

  system.stateVersion = "24.11";
}

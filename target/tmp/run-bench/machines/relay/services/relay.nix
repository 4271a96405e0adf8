{ lib, ... }:
{
  services.postfix.enable = true;
  networking.firewall.allowedTCPPorts = [ 25 ];
}

{ pkgs, ... }:
{
  services.nginx = {
    enable = true;
    virtualHosts."web1.example.org".root = "/var/www";
  };
  networking.firewall.allowedTCPPorts = [ 80 443 ];
}

# A two-machine NixOps network: a web server and its database.
{
  network.description = "shop";

  defaults = { ... }: {
    services.openssh.enable = true;
    time.timeZone = "Europe/Amsterdam";
  };

  web = { config, pkgs, ... }: {
    deployment.targetHost = "203.0.113.5";
    imports = [ ./hardware/web.nix ];
    services.nginx.enable = true;
    services.timesyncd.enable = true;
  };

  db = { lib, pkgs, ... }: {
    deployment.targetHost = "203.0.113.6";
    services.postgresql.enable = true;
    boot.supportedFilesystems = [ "zfs" ];
    services.qemuGuest.enable = lib.mkDefault false;
  };
}

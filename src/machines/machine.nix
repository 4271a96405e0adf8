# What nixvm reads of one machine, evaluated for each machine on its own
# (`nix eval --apply`, one process per machine, several at once): its VM's
# derivation, and what starting that VM needs to know, as one record.
# `config` is the machine's configuration as on hardware; its VM is
# `config.virtualisation.vmVariant` (qemu-vm.nix and nixvm's VM module).
{ name, config, defaultMemory, identityShare }:
let
  vm = config.virtualisation.vmVariant;
  virtualisation = vm.virtualisation or { };
  # sshd listens on the first of its ports (NixOS's default: 22).
  ports = vm.services.openssh.ports or [ 22 ];
in
{
  inherit name;
  vm = config.system.build.vm.drvPath;
  memory = virtualisation.memorySize or defaultMemory;
  sshPort = if ports == [ ] then 22 else builtins.head ports;
  # The configuration's own forwards from the host (QEMU's hostfwd).
  forwards = map
    (f: {
      proto = f.proto or "tcp";
      hostAddress = f.host.address or "";
      hostPort = f.host.port;
      guestPort = f.guest.port;
    })
    (builtins.filter (f: (f.from or "host") == "host") (virtualisation.forwardPorts or [ ]));
  # The VM mounts the project's age identity (nixvm's VM module shares it
  # when the machine has sops-nix or agenix secrets).
  identityShare = (virtualisation.sharedDirectories or { }) ? ${identityShare};
}

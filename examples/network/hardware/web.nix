# What nixos-generate-config wrote on the web server: its disks and the
# kernel modules its hardware needs. The VM replaces the file systems and
# is not hurt by the rest.
{ lib, modulesPath, ... }:
{
  imports = [ (modulesPath + "/installer/scan/not-detected.nix") ];

  boot.initrd.availableKernelModules = [ "ahci" "xhci_pci" "nvme" "sd_mod" ];
  boot.kernelModules = [ "kvm-amd" ];

  fileSystems."/" = {
    device = "/dev/disk/by-uuid/6f3c2a81-5b0e-4d2a-9a51-0c3e7d9b1f42";
    fsType = "ext4";
  };
  fileSystems."/boot" = {
    device = "/dev/disk/by-uuid/3A1B-7C2D";
    fsType = "vfat";
  };
  swapDevices = [ { device = "/dev/disk/by-uuid/0e9d4b6a-2c17-4f38-8d05-7a61c3b2e9f0"; } ];

  nixpkgs.hostPlatform = lib.mkDefault "x86_64-linux";
}

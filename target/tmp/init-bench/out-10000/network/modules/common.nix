{ ... }: { services.timesyncd.enable = true; }

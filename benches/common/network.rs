//! A generated NixOps-style network of `machines` small machines, shared by
//! the lint and init benchmarks: each machine its own module, all of them
//! importing one common module through `defaults`.

use std::path::{Path, PathBuf};

pub fn network(dir: &Path, machines: usize) -> PathBuf {
    std::fs::create_dir_all(dir.join("modules")).unwrap();
    let mut text = String::from("# A generated network for the benchmarks.\n{\n  network.description = \"bench\";\n  defaults = { ... }: { imports = [ ./modules/common.nix ]; };\n");
    for i in 0..machines {
        text.push_str(&format!(
            "  m{i} = {{ pkgs, ... }}: {{\n    deployment.targetHost = \"10.0.{}.{}\";\n    services.nginx.enable = {};\n    networking.firewall.allowedTCPPorts = [ 80 {} ];\n  }};\n",
            i / 250,
            i % 250,
            i % 2 == 0,
            8000 + i
        ));
    }
    text.push_str("}\n");
    std::fs::write(dir.join("modules/common.nix"), "{ ... }: { services.timesyncd.enable = true; }\n").unwrap();
    let file = dir.join("network.nix");
    std::fs::write(&file, text).unwrap();
    file
}

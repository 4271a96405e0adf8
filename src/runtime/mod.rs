//! What a running machine is given, computed without touching the system:
//! the run script's environment (its port forwards: `forward`), the QEMU
//! options that put it on the project's L2 segment and give it a monitor,
//! its address there, the ssh configuration nixvm logs in with, the
//! command `deploy` runs in the guest (`switch` reads what it did), and
//! `nixvm test`'s calls and guest commands (`test`). The lifecycle layer
//! (`machines`) does the I/O with these.

use std::net::Ipv4Addr;

pub mod forward;
pub mod switch;
pub mod test;
pub use forward::Forward;
pub use switch::SwitchReport;

/// FNV-1a, 64 bits: a hash that never changes between Rust releases, so
/// the segment and MAC addresses derived from it stay put.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// The L2 segment a project's machines share: a QEMU socket network on a
/// multicast group, sent and received on the loopback interface only.
/// Each project gets its own group and port, derived from its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub group: Ipv4Addr,
    pub port: u16,
}

/// The prefix of the segment's addresses (a /24, like the NixOS test
/// framework's first VLAN); vm.nix.tera assigns the same ones.
pub const SEGMENT_PREFIX: [u8; 3] = [192, 168, 1];

/// The most machines one segment holds.
pub const SEGMENT_MAX_MACHINES: usize = 254;

impl Segment {
    pub fn for_project(project_path: &[u8]) -> Segment {
        let h = fnv1a(project_path);
        // 239.255.0.0/16 is the organisation-local scope: never routed out.
        let group = Ipv4Addr::new(239, 255, (h >> 8) as u8, (h as u8).max(1));
        let port = 20_000 + ((h >> 16) % 20_000) as u16;
        Segment { group, port }
    }

    /// QEMU options adding a second NIC (the guest's eth1) on the segment.
    /// They go into `QEMU_OPTS`, which the run script splits on spaces, so
    /// they contain none.
    pub fn qemu_options(&self, machine: &str) -> String {
        format!(
            "-device virtio-net-pci,netdev={SEGMENT_NETDEV},mac={} -netdev socket,id={SEGMENT_NETDEV},mcast={}:{},localaddr=127.0.0.1",
            mac_address(machine),
            self.group,
            self.port
        )
    }
}

/// The machine's MAC address on the segment: QEMU's prefix 52:54:00, then
/// three bytes from the machine's name.
pub fn mac_address(machine: &str) -> String {
    let h = fnv1a(machine.as_bytes());
    format!("52:54:00:{:02x}:{:02x}:{:02x}", (h >> 16) as u8, (h >> 8) as u8, h as u8)
}

/// A machine's address on the segment: its place among the project's
/// machines in sorted order (as `builtins.attrNames` lists them), so it is
/// the same on every run for the same set of machines. None when the
/// machine is not among them or the segment is full.
pub fn segment_address(machines: &[String], machine: &str) -> Option<Ipv4Addr> {
    if !machines.iter().any(|m| m == machine) {
        return None;
    }
    let place = machines.iter().filter(|m| m.as_str() < machine).count() + 1;
    let last = u8::try_from(place).ok().filter(|p| usize::from(*p) <= SEGMENT_MAX_MACHINES)?;
    Some(Ipv4Addr::new(SEGMENT_PREFIX[0], SEGMENT_PREFIX[1], SEGMENT_PREFIX[2], last))
}

/// The variable naming a VM's state directory in its environment.
pub const STATE_VARIABLE: &str = "NIXVM_STATE";
/// The variables saying a VM's forwarded ssh port and its other forwards
/// (`Forward`'s form, space-separated), in its environment: what the
/// state files record, kept where no crash or full disk can lose it.
pub const SSH_PORT_VARIABLE: &str = "NIXVM_SSH_PORT";
pub const FORWARDS_VARIABLE: &str = "NIXVM_FORWARDS";

/// What the run script of a machine is given.
#[derive(Debug, Clone)]
pub struct RunSettings<'a> {
    /// `.nixvm/MACHINE` in the project.
    pub state: &'a std::path::Path,
    pub machine: &'a str,
    /// The host port forwarded to the guest's ssh.
    pub ssh_port: u16,
    /// The port the guest's sshd listens on (`sshd_port`).
    pub guest_ssh_port: u16,
    /// Serial console instead of a window.
    pub console: bool,
    /// The project's segment, when the machine joins it.
    pub segment: Option<Segment>,
    /// Ports forwarded besides ssh.
    pub forwards: &'a [Forward],
    /// QEMU's monitor (HMP) on this unix socket (`socket_path`), for
    /// `nixvm test`'s `block()`, `send_monitor_command`, `screenshot`.
    pub monitor: Option<&'a std::path::Path>,
}

/// The id of the segment's network backend: `set_link nixvm0 off` in the
/// monitor takes the machine off the segment.
pub const SEGMENT_NETDEV: &str = "nixvm0";

/// The longest socket path nixvm uses as it is (a unix socket's path
/// holds at most 107 bytes; ssh's ControlPath adds a suffix of its own).
const SOCKET_PATH_MAX: usize = 90;

/// Where a VM's unix socket `name` lives: in its state directory when the
/// path is short enough and has no whitespace or comma (QEMU_OPTS is split
/// on spaces, QEMU options on commas), else under `short` (a private
/// directory of the user's, such as `/tmp/nixvm-UID`) by a hash of the
/// state directory.
pub fn socket_path(state: &std::path::Path, name: &str, short: &std::path::Path) -> std::path::PathBuf {
    let own = state.join(name);
    let text = own.to_string_lossy();
    if text.len() <= SOCKET_PATH_MAX && !text.contains(|c: char| c.is_whitespace() || c == ',') {
        return own;
    }
    short.join(format!("{:016x}-{name}", fnv1a(state.as_os_str().as_encoded_bytes())))
}

/// The environment for the run script: `current` gives the variables the
/// user already set, which are extended rather than replaced.
pub fn run_environment(s: &RunSettings, current: impl Fn(&str) -> Option<String>) -> Vec<(String, String)> {
    let extended = |name: &str, extra: &str, sep: &str| match current(name) {
        Some(v) if !v.trim().is_empty() => format!("{v}{sep}{extra}"),
        _ => extra.to_string(),
    };
    // Marks the VM's processes as this machine's, through the run script's
    // final `exec` of QEMU (see `machines::state`), with its ports.
    let mut env = vec![
        (STATE_VARIABLE.to_string(), s.state.display().to_string()),
        (SSH_PORT_VARIABLE.to_string(), s.ssh_port.to_string()),
    ];
    if current("NIX_DISK_IMAGE").is_none() {
        env.push(("NIX_DISK_IMAGE".into(), disk_image(s.state, s.machine).display().to_string()));
    }
    // The run script keeps a VM's EFI variables (useEFIBoot) and its TPM's
    // state (tpm.enable) in the directory it is started from unless told
    // otherwise: they are the machine's state, and `clean` resets them.
    for (variable, file) in [("NIX_EFI_VARS", "efi-vars.fd"), ("NIX_SWTPM_DIR", "swtpm")] {
        if current(variable).is_none() {
            env.push((variable.into(), s.state.join(file).display().to_string()));
        }
    }
    env.push(("TMPDIR".into(), s.state.join("tmp").display().to_string()));
    env.push(("USE_TMPDIR".into(), "1".into()));
    // QEMU's hostfwd listens on every interface unless told otherwise.
    let hostfwd: Vec<String> = std::iter::once(format!("hostfwd=tcp:127.0.0.1:{}-:{}", s.ssh_port, s.guest_ssh_port))
        .chain(s.forwards.iter().map(Forward::hostfwd))
        .collect();
    env.push(("QEMU_NET_OPTS".into(), extended("QEMU_NET_OPTS", &hostfwd.join(","), ",")));
    let mut qemu_opts = vec![];
    if let Some(seg) = s.segment {
        qemu_opts.push(seg.qemu_options(s.machine));
    }
    if let Some(monitor) = s.monitor {
        qemu_opts.push(format!("-monitor unix:{},server=on,wait=off", monitor.display()));
    }
    if s.console {
        qemu_opts.push("-nographic".to_string());
        env.push(("QEMU_KERNEL_PARAMS".into(), extended("QEMU_KERNEL_PARAMS", "console=ttyS0", " ")));
    }
    if !qemu_opts.is_empty() {
        env.push(("QEMU_OPTS".into(), extended("QEMU_OPTS", &qemu_opts.join(" "), " ")));
    }
    env
}

/// QEMU arguments that put the serial console and the monitor on the
/// terminal as `-nographic` does (its `mon:stdio`, where Ctrl-C goes to
/// the guest and Ctrl-A X quits), and also write what the guest prints to
/// `log` (started afresh).
pub fn console_log_args(log: &std::path::Path) -> Vec<String> {
    // QEMU reads `,,` in an option's value as one comma.
    let path = log.to_string_lossy().replace(',', ",,");
    [
        "-chardev",
        &format!("stdio,id=nixvm-console,mux=on,signal=off,logfile={path}"),
        "-serial",
        "chardev:nixvm-console",
        "-mon",
        "chardev=nixvm-console,mode=readline",
    ]
    .map(str::to_string)
    .to_vec()
}

/// The port sshd listens on, from its configuration's text: its first
/// `Port`, else the port of its first `ListenAddress` that has one, else
/// 22. (What comes after a `Match` is for some connections only.)
pub fn sshd_port(sshd_config: &str) -> u16 {
    let mut listen = None;
    for line in sshd_config.lines() {
        let mut words = line.split_whitespace();
        let (Some(keyword), Some(value)) = (words.next(), words.next()) else { continue };
        match keyword.to_ascii_lowercase().as_str() {
            "match" => break,
            "port" => {
                if let Ok(port) = value.parse() {
                    return port;
                }
            }
            "listenaddress" if listen.is_none() => {
                // `ADDR:PORT` or `[IPV6]:PORT`; a bare IPv6 address has colons
                // but no port.
                let port = match value.strip_prefix('[') {
                    Some(v6) => v6.split_once("]:").map(|(_, p)| p),
                    None => value.split_once(':').filter(|(_, p)| !p.contains(':')).map(|(_, p)| p),
                };
                listen = port.and_then(|p| p.parse().ok());
            }
            _ => {}
        }
    }
    listen.unwrap_or(22)
}

/// Where a machine's disk image is kept.
pub fn disk_image(state: &std::path::Path, machine: &str) -> std::path::PathBuf {
    state.join(format!("{machine}.qcow2"))
}

/// The disk image the run script will use: the user's `NIX_DISK_IMAGE`
/// (which `run_environment` keeps), or the one in the machine's state.
pub fn disk_image_in_use(s: &RunSettings, current: impl Fn(&str) -> Option<String>) -> std::path::PathBuf {
    current("NIX_DISK_IMAGE").map(Into::into).unwrap_or_else(|| disk_image(s.state, s.machine))
}

/// The name a machine's host key is recorded under in the project's
/// known_hosts (its port changes from run to run; its name does not).
pub fn host_key_alias(machine: &str) -> String {
    format!("nixvm-{machine}")
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RuntimeError {
    #[error("{0} contains a double quote or a line break, which an ssh configuration cannot hold; move the project")]
    UnquotablePath(String),
    #[error("`{0}` is not a Nix store path")]
    NotStorePath(String),
}

/// A file name as an ssh_config value: quoted, with `%` (ssh's token
/// character in IdentityFile and UserKnownHostsFile) doubled.
fn ssh_path(path: &std::path::Path) -> Result<String, RuntimeError> {
    let s = path.to_string_lossy();
    if s.contains(['"', '\n', '\r']) || path.to_str().is_none() {
        return Err(RuntimeError::UnquotablePath(s.into_owned()));
    }
    Ok(format!("\"{}\"", s.replace('%', "%%")))
}

/// The ssh configuration for logging into a machine as root on its
/// forwarded port with the project's key. Used with `ssh -F`; it applies to
/// every host, so `root@127.0.0.1` (as nix-copy-closure writes it) works.
pub fn ssh_config(
    machine: &str,
    port: u16,
    key: &std::path::Path,
    known_hosts: &std::path::Path,
) -> Result<String, RuntimeError> {
    Ok(format!(
        "# Written by nixvm for `{machine}`; rewritten on every use.\n\
         Host *\n\
         \x20 HostName 127.0.0.1\n\
         \x20 Port {port}\n\
         \x20 User root\n\
         \x20 IdentityFile {key}\n\
         \x20 IdentitiesOnly yes\n\
         \x20 UserKnownHostsFile {known}\n\
         \x20 GlobalKnownHostsFile /dev/null\n\
         \x20 HostKeyAlias {alias}\n\
         \x20 StrictHostKeyChecking accept-new\n\
         \x20 CheckHostIP no\n\
         \x20 ConnectTimeout 10\n\
         \x20 LogLevel ERROR\n",
        key = ssh_path(key)?,
        known = ssh_path(known_hosts)?,
        alias = host_key_alias(machine),
    ))
}

/// `/nix/store/HASH-NAME` with only the characters Nix allows in names.
fn check_store_path(path: &str) -> Result<(), RuntimeError> {
    let bad = || RuntimeError::NotStorePath(path.to_string());
    let rest = path.strip_prefix("/nix/store/").ok_or_else(bad)?;
    let ok = !rest.is_empty()
        && !rest.starts_with('.')
        && rest.chars().all(|c| c.is_ascii_alphanumeric() || "+-._?=".contains(c));
    if ok {
        Ok(())
    } else {
        Err(bad())
    }
}

/// The profile `deploy` sets, as `nixos-rebuild` does.
pub const SYSTEM_PROFILE: &str = "/nix/var/nix/profiles/system";

/// The shell command that succeeds when the guest sees `system` (a store
/// path, checked and quoted) in its own store: it reads the host's.
pub fn visible_command(system: &str) -> Result<String, RuntimeError> {
    check_store_path(system)?;
    Ok(format!("test -e '{system}/bin/switch-to-configuration'"))
}

/// What `deploy` does in the guest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// Set the system profile and `switch-to-configuration test`.
    Test,
    /// `switch-to-configuration dry-activate`: say what would change,
    /// change nothing (not the profile either).
    DryActivate,
}

/// The shell command `deploy` runs in the guest (over ssh, which always
/// hands the guest a command line): print the system it runs now, set the
/// system profile (not for a dry activation), then `switch-to-configuration
/// test` (or `dry-activate`), through `systemd-run --wait` when systemd
/// runs the guest, so that restarting sshd does not kill the switch.
/// `system` is checked to be a store path and quoted, though store paths
/// hold no shell characters.
pub fn deploy_command(system: &str, activation: Activation) -> Result<String, RuntimeError> {
    check_store_path(system)?;
    let (action, profile) = match activation {
        Activation::Test => ("test", format!("nix-env -p {SYSTEM_PROFILE} --set '{system}'; ")),
        Activation::DryActivate => ("dry-activate", String::new()),
    };
    let switch = format!("'{system}/bin/switch-to-configuration' {action}");
    Ok(format!(
        "set -e; \
         echo \"nixvm-previous: $(readlink /run/current-system 2>/dev/null || true)\"; \
         {profile}\
         if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1; then \
         systemd-run --quiet --collect --wait --pipe --no-ask-password --service-type=exec --unit=nixvm-switch-to-configuration -- {switch}; \
         else {switch}; fi"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::path::Path;

    #[test]
    fn segments_differ_by_project_and_stay_put() {
        let a = Segment::for_project(b"/home/a/proj");
        assert_eq!(a, Segment::for_project(b"/home/a/proj"));
        assert_ne!(a, Segment::for_project(b"/home/a/other"));
        assert_eq!(a.group.octets()[..2], [239, 255]);
        assert!((20_000..40_000).contains(&a.port));
        let opts = a.qemu_options("web");
        let words: Vec<&str> = opts.split(' ').collect();
        assert_eq!(words.len(), 4, "the run script splits QEMU_OPTS on spaces: {opts}");
        assert_eq!((words[0], words[2]), ("-device", "-netdev"));
        assert!(opts.contains("localaddr=127.0.0.1"), "{opts}");
        assert!(opts.contains(&format!("mcast={}:{}", a.group, a.port)), "{opts}");
    }

    #[test]
    fn mac_addresses_are_qemus_and_per_machine() {
        let web = mac_address("web");
        assert!(web.starts_with("52:54:00:") && web.len() == 17, "{web}");
        assert_ne!(web, mac_address("db"));
    }

    #[test]
    fn addresses_follow_sorted_names() {
        let names: Vec<String> = ["web", "db", "cache"].map(String::from).to_vec();
        assert_eq!(segment_address(&names, "cache"), Some(Ipv4Addr::new(192, 168, 1, 1)));
        assert_eq!(segment_address(&names, "db"), Some(Ipv4Addr::new(192, 168, 1, 2)));
        assert_eq!(segment_address(&names, "web"), Some(Ipv4Addr::new(192, 168, 1, 3)));
        assert_eq!(segment_address(&names, "nope"), None);
        let many: Vec<String> = (0..300).map(|i| format!("m{i:03}")).collect();
        assert_eq!(segment_address(&many, "m253"), Some(Ipv4Addr::new(192, 168, 1, 254)));
        assert_eq!(segment_address(&many, "m254"), None, "a full segment gives no address");
    }

    #[test]
    fn the_environment_extends_what_the_user_set() {
        let state = Path::new("/p/.nixvm/web");
        let s = RunSettings {
            state,
            machine: "web",
            ssh_port: 2222,
            guest_ssh_port: 22,
            console: true,
            segment: None,
            forwards: &[],
            monitor: None,
        };
        let env = run_environment(&s, |n| (n == "QEMU_OPTS").then(|| "-m 2048".to_string()));
        let get = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("NIX_DISK_IMAGE"), Some("/p/.nixvm/web/web.qcow2"));
        assert_eq!(get("QEMU_NET_OPTS"), Some("hostfwd=tcp:127.0.0.1:2222-:22"));
        assert_eq!(get("QEMU_OPTS"), Some("-m 2048 -nographic"));
        assert_eq!(get("NIX_EFI_VARS"), Some("/p/.nixvm/web/efi-vars.fd"));
        assert_eq!(get("NIX_SWTPM_DIR"), Some("/p/.nixvm/web/swtpm"));
        assert_eq!(get("QEMU_KERNEL_PARAMS"), Some("console=ttyS0"));
        let seg = Segment::for_project(b"/p");
        let s = RunSettings { console: false, segment: Some(seg), ..s };
        let env = run_environment(&s, |n| (n == "NIX_DISK_IMAGE").then(|| "/d.qcow2".to_string()));
        let get = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        assert_eq!(get("NIX_DISK_IMAGE"), None, "the user's disk image is kept");
        assert_eq!(get("QEMU_OPTS"), Some(seg.qemu_options("web")));
        assert_eq!(get("QEMU_KERNEL_PARAMS"), None);
    }

    #[test]
    fn sockets_live_with_the_machine_unless_their_path_cannot() {
        let short = Path::new("/tmp/nixvm-0");
        assert_eq!(socket_path(Path::new("/p/.nixvm/web"), "monitor", short), Path::new("/p/.nixvm/web/monitor"));
        let long = format!("/{}/.nixvm/web", "d".repeat(100));
        let spaced = Path::new("/my projects/.nixvm/web");
        for state in [Path::new(&long), spaced, Path::new("/a,b/.nixvm/web")] {
            let p = socket_path(state, "monitor", short);
            assert!(p.starts_with(short) && p.to_string_lossy().ends_with("-monitor"), "{p:?}");
            assert!(p.to_string_lossy().len() < 60);
        }
        assert_ne!(socket_path(spaced, "monitor", short), socket_path(Path::new("/a,b/.nixvm/web"), "monitor", short));
    }

    #[test]
    fn ssh_config_quotes_paths_and_refuses_what_it_cannot_quote() {
        let c = ssh_config("web", 2222, Path::new("/p q/100%/key"), Path::new("/p q/known_hosts")).unwrap();
        assert!(c.contains("IdentityFile \"/p q/100%%/key\"\n"), "{c}");
        assert!(c.contains("Port 2222\n") && c.contains("HostKeyAlias nixvm-web\n"), "{c}");
        assert!(matches!(
            ssh_config("web", 1, Path::new("/a\"b/key"), Path::new("/k")),
            Err(RuntimeError::UnquotablePath(_))
        ));
        assert!(ssh_config("web", 1, Path::new("/a\nb/key"), Path::new("/k")).is_err());
    }

    #[test]
    fn deploy_takes_store_paths_only() {
        let p = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-nixos-system-web-25.11";
        let c = deploy_command(p, Activation::Test).unwrap();
        assert!(c.contains(&format!("nix-env -p /nix/var/nix/profiles/system --set '{p}'")), "{c}");
        assert!(c.contains(&format!("'{p}/bin/switch-to-configuration' test")), "{c}");
        let dry = deploy_command(p, Activation::DryActivate).unwrap();
        assert!(dry.contains(&format!("'{p}/bin/switch-to-configuration' dry-activate")), "{dry}");
        assert!(!dry.contains("nix-env"), "a dry activation leaves the profile: {dry}");
        for bad in ["/tmp/x", "/nix/store/x'; rm -rf /", "/nix/store/$(id)", "/nix/store/", "/nix/store/../etc"] {
            assert!(deploy_command(bad, Activation::Test).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_guest_sshd_port_is_its_configurations() {
        assert_eq!(sshd_port("Port 2222\nPort 22\nPermitRootLogin no\n"), 2222);
        assert_eq!(sshd_port("ListenAddress 0.0.0.0:2200\nListenAddress [::]:2201\n"), 2200);
        assert_eq!(sshd_port("ListenAddress 10.0.0.1\n"), 22);
        assert_eq!(sshd_port("ListenAddress ::1\n"), 22);
        assert_eq!(sshd_port("ListenAddress [::1]:2202\n"), 2202);
        assert_eq!(sshd_port("PermitRootLogin no\nMatch User root\n  Port 99\n"), 22);
        assert_eq!(sshd_port(""), 22);
    }
}

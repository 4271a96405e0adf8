//! Port forwards from the host into a VM (`--forward
//! [ADDR:]HOST_PORT:GUEST_PORT[/udp]`): read, checked, and written as
//! QEMU's user-network `hostfwd` options. An address left out is
//! 127.0.0.1: QEMU itself binds every interface when none is given.

use std::net::Ipv4Addr;

/// The protocol a forward carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Tcp,
    Udp,
}

/// One forward: `address:host_port` on the host to the guest's
/// `guest_port`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forward {
    pub address: Ipv4Addr,
    pub host_port: u16,
    pub guest_port: u16,
    pub protocol: Protocol,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ForwardError {
    #[error(
        "`{0}` is not a forward: write [ADDR:]HOST_PORT:GUEST_PORT[/udp], such as 8080:80 or 127.0.0.1:5353:53/udp"
    )]
    Shape(String),
    #[error("`{port}` in `{spec}` is not a port (1-65535)")]
    Port { spec: String, port: String },
    #[error("`{address}` in `{spec}` is not an IPv4 address")]
    Address { spec: String, address: String },
    #[error("`{0}` is not a protocol: tcp or udp")]
    Protocol(String),
}

impl Forward {
    /// Read `[ADDR:]HOST_PORT:GUEST_PORT[/tcp|/udp]`.
    pub fn parse(spec: &str) -> Result<Forward, ForwardError> {
        let (ports, protocol) = match spec.rsplit_once('/') {
            Some((p, "tcp")) => (p, Protocol::Tcp),
            Some((p, "udp")) => (p, Protocol::Udp),
            Some((_, other)) => return Err(ForwardError::Protocol(other.to_string())),
            None => (spec, Protocol::Tcp),
        };
        let parts: Vec<&str> = ports.split(':').collect();
        let (address, host, guest) = match parts.as_slice() {
            [host, guest] => (Ipv4Addr::LOCALHOST, *host, *guest),
            [address, host, guest] => {
                let address = address
                    .parse::<Ipv4Addr>()
                    .map_err(|_| ForwardError::Address { spec: spec.to_string(), address: address.to_string() })?;
                (address, *host, *guest)
            }
            _ => return Err(ForwardError::Shape(spec.to_string())),
        };
        let port = |p: &str| match p.parse::<u16>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(ForwardError::Port { spec: spec.to_string(), port: p.to_string() }),
        };
        Ok(Forward { address, host_port: port(host)?, guest_port: port(guest)?, protocol })
    }

    /// Whether only this host can reach it.
    pub fn is_loopback(&self) -> bool {
        self.address.is_loopback()
    }

    /// Read QEMU's `hostfwd=PROTO:[ADDR]:HOST_PORT-[GUEST_ADDR]:GUEST_PORT`
    /// (an empty ADDR, every interface to QEMU, is 0.0.0.0).
    pub fn from_hostfwd(option: &str) -> Option<Forward> {
        let rest = option.strip_prefix("hostfwd=")?;
        let (host, guest) = rest.split_once('-')?;
        let mut host_parts = host.split(':');
        let protocol = match host_parts.next()? {
            "tcp" | "" => Protocol::Tcp,
            "udp" => Protocol::Udp,
            _ => return None,
        };
        let address = match host_parts.next()? {
            "" => Ipv4Addr::UNSPECIFIED,
            a => a.parse().ok()?,
        };
        let host_port = host_parts.next()?.parse().ok().filter(|p| *p > 0)?;
        let guest_port = guest.rsplit_once(':')?.1.parse().ok().filter(|p| *p > 0)?;
        host_parts.next().is_none().then_some(Forward { address, host_port, guest_port, protocol })
    }

    /// The forwards a VM's run script gives QEMU itself (qemu-vm.nix puts
    /// `virtualisation.forwardPorts` there), from its text.
    pub fn in_run_script(script: &str) -> Vec<Forward> {
        let mut found: Vec<Forward> = vec![];
        for (at, _) in script.match_indices("hostfwd=") {
            let option: String =
                script[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || "=:.-".contains(*c)).collect();
            if let Some(f) = Forward::from_hostfwd(&option).filter(|f| !found.contains(f)) {
                found.push(f);
            }
        }
        found
    }

    /// QEMU's `hostfwd=` option for it.
    pub fn hostfwd(&self) -> String {
        let proto = match self.protocol {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        };
        format!("hostfwd={proto}:{}:{}-:{}", self.address, self.host_port, self.guest_port)
    }
}

impl std::fmt::Display for Forward {
    /// As `parse` reads it back, the address always written.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let proto = match self.protocol {
            Protocol::Tcp => "",
            Protocol::Udp => "/udp",
        };
        write!(f, "{}:{}:{}{proto}", self.address, self.host_port, self.guest_port)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn forwards_in_a_run_script_are_read_as_qemu_reads_them() {
        use super::*;
        let script = "exec qemu -netdev user,id=user.0,hostfwd=tcp:127.0.0.1:18080-:80,hostfwd=tcp::18443-:443,\
                      hostfwd=udp:10.0.0.1:5353-10.0.2.15:53,\"$QEMU_NET_OPTS\" \\\n  -device x";
        let found: Vec<String> = Forward::in_run_script(script).iter().map(ToString::to_string).collect();
        assert_eq!(found, ["127.0.0.1:18080:80", "0.0.0.0:18443:443", "10.0.0.1:5353:53/udp"]);
        assert_eq!(Forward::in_run_script("no forwards here; hostfwd=nonsense"), vec![]);
        assert_eq!(Forward::from_hostfwd("hostfwd=tcp:127.0.0.1:0-:22"), None);
    }

    use super::*;

    #[test]
    fn forwards_read_and_write_back() {
        let f = Forward::parse("8080:80").unwrap();
        assert_eq!(
            f,
            Forward { address: Ipv4Addr::LOCALHOST, host_port: 8080, guest_port: 80, protocol: Protocol::Tcp }
        );
        assert_eq!(f.hostfwd(), "hostfwd=tcp:127.0.0.1:8080-:80");
        assert_eq!(f.to_string(), "127.0.0.1:8080:80");
        let u = Forward::parse("0.0.0.0:5353:53/udp").unwrap();
        assert_eq!(u.hostfwd(), "hostfwd=udp:0.0.0.0:5353-:53");
        assert!(!u.is_loopback());
        assert_eq!(Forward::parse(&u.to_string()).unwrap(), u);
        assert_eq!(Forward::parse("127.0.0.2:1:2/tcp").unwrap().to_string(), "127.0.0.2:1:2");
    }

    #[test]
    fn bad_forwards_say_what_is_wrong() {
        assert!(matches!(Forward::parse("8080"), Err(ForwardError::Shape(_))));
        assert!(matches!(Forward::parse("a:b:c:d"), Err(ForwardError::Shape(_))));
        assert!(matches!(Forward::parse("0:80"), Err(ForwardError::Port { .. })));
        assert!(matches!(Forward::parse("70000:80"), Err(ForwardError::Port { .. })));
        assert!(matches!(Forward::parse("8080:x"), Err(ForwardError::Port { .. })));
        assert!(matches!(Forward::parse("host:8080:80"), Err(ForwardError::Address { .. })));
        assert!(matches!(Forward::parse("8080:80/sctp"), Err(ForwardError::Protocol(_))));
        // Nothing here can smuggle another QEMU option in.
        assert!(Forward::parse("8080:80,hostfwd=tcp::22-:22").is_err());
    }
}

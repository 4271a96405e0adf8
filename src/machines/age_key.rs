//! The project's age identity, with which sops-nix and agenix decrypt in the
//! VMs: `.nixvm/identity/age-key` (an X25519 identity in age's own format,
//! 0600, in a directory of its own, 0700), never in the Nix store or in a
//! file git tracks. Each VM is given a copy in its machine's state directory
//! (`machine_copy`), which the VM module mounts read-only, and sops-nix and
//! agenix in it are pointed at the key; its
//! recipient (`age1...`) is what the user adds to `.sops.yaml` or agenix's
//! `secrets.nix` so that the VMs decrypt the real secrets.

use super::source::Source;
use anyhow::{bail, Context as _};
use bech32::{Bech32, Hrp};
use std::path::{Path, PathBuf};

/// The directory shared with the VMs; nothing else goes in it.
pub const DIR: &str = "identity";
/// The key's file name in it.
pub const FILE: &str = crate::render::IDENTITY.file;

/// Whether a VM's run script hands it the identity directory: the VM
/// module asks for the share when the machine has sops-nix or agenix.
pub fn shared_by(run_script: &str) -> bool {
    run_script.contains(crate::render::IDENTITY.variable)
}

/// Whether a built VM system mounts the identity directory: its fstab
/// lists where the VM module mounts it (NixOS writes every file system,
/// those the initrd mounts too, into `/etc/fstab`).
pub fn mounted_by(system: &Path) -> bool {
    std::fs::read_to_string(system.join("etc/fstab"))
        .is_ok_and(|t| t.lines().any(|l| l.split_whitespace().nth(1) == Some(crate::render::IDENTITY.guest_dir)))
}

/// An age X25519 identity: the secret key as age writes it
/// (`AGE-SECRET-KEY-1...`) and its recipient (`age1...`).
pub struct Identity {
    secret: String,
    pub recipient: String,
}

/// Why a key file is not an age identity.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum KeyError {
    #[error("no line starts with AGE-SECRET-KEY-1")]
    Missing,
    #[error("the AGE-SECRET-KEY-1 line is not a valid age identity ({0})")]
    Invalid(String),
}

impl Identity {
    /// The identity of a 32-byte secret (X25519 clamps it when used).
    pub fn from_secret(bytes: [u8; 32]) -> Identity {
        let public = x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(bytes));
        Identity {
            secret: encode("age-secret-key-", &bytes).to_uppercase(),
            recipient: encode("age", public.as_bytes()),
        }
    }

    /// A new identity from the operating system's random source.
    pub fn generate() -> anyhow::Result<Identity> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no random bytes for the age key: {e}"))?;
        Ok(Identity::from_secret(bytes))
    }

    /// The identity in an age key file (as `age-keygen` writes them:
    /// comment lines, then the secret key).
    pub fn parse(text: &str) -> Result<Identity, KeyError> {
        let line = text.lines().map(str::trim).find(|l| l.starts_with("AGE-SECRET-KEY-1")).ok_or(KeyError::Missing)?;
        let (hrp, data) = bech32::decode(line).map_err(|e| KeyError::Invalid(e.to_string()))?;
        if !hrp.as_str().eq_ignore_ascii_case("age-secret-key-") {
            return Err(KeyError::Invalid(format!("its prefix is {hrp}")));
        }
        let bytes: [u8; 32] =
            data.try_into().map_err(|d: Vec<u8>| KeyError::Invalid(format!("{} bytes, not 32", d.len())))?;
        Ok(Identity::from_secret(bytes))
    }

    /// The key file's text, as age-keygen lays it out.
    pub fn file_text(&self) -> String {
        format!(
            "# nixvm's age identity for this project's VMs: never commit it.\n# public key: {}\n{}\n",
            self.recipient, self.secret
        )
    }
}

fn encode(hrp: &str, data: &[u8]) -> String {
    // Both prefixes are valid and 32 bytes are far below bech32's limits.
    Hrp::parse(hrp).ok().and_then(|hrp| bech32::encode::<Bech32>(hrp, data).ok()).unwrap_or_default()
}

/// The shared directory of a source: `.nixvm/identity`.
fn dir(source: &Source) -> PathBuf {
    source.state_dir().join(DIR)
}

/// The source's identity, as `ensure` found or made it.
pub struct Ensured {
    pub identity: Identity,
    /// The key file (`.nixvm/identity/age-key`).
    pub path: PathBuf,
    /// This call made it.
    pub made: bool,
}

/// The source's identity when it has one (nothing is made).
pub fn existing(source: &Source) -> anyhow::Result<Option<Ensured>> {
    let path = dir(source).join(FILE);
    Ok(read(&path)?.map(|identity| Ensured { identity, path, made: false }))
}

/// The source's identity, made when there is none (written aside and
/// moved in place only if no other nixvm made one meanwhile; 0600 in a
/// 0700 directory).
pub fn ensure(source: &Source) -> anyhow::Result<Ensured> {
    use std::os::unix::fs::PermissionsExt;
    source.create_state_dir()?;
    let dir = dir(source);
    private_dir(&dir)?;
    let path = dir.join(FILE);
    let found = |path: PathBuf, identity| Ok(Ensured { identity, path, made: false });
    if let Some(identity) = read(&path)? {
        return found(path, identity);
    }
    let identity = Identity::generate()?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".age-key-")
        .permissions(std::fs::Permissions::from_mode(0o600))
        .tempfile_in(&dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    std::io::Write::write_all(&mut tmp, identity.file_text().as_bytes())
        .with_context(|| format!("cannot write a temporary file in {}", dir.display()))?;
    match tmp.persist_noclobber(&path) {
        Ok(_) => Ok(Ensured { identity, path, made: true }),
        // Another nixvm made one first: that one is the project's.
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
            let identity = read(&path)?.with_context(|| format!("{} vanished", path.display()))?;
            found(path, identity)
        }
        Err(e) => Err(e.error).with_context(|| format!("cannot store {}", path.display())),
    }
}

/// A machine's own copy of the identity, `.nixvm/M/identity/age-key`, the
/// directory its VM is given: a guest that writes to its share (root can
/// remount it; NixOS before 23.05 mounts it read-write) changes only its
/// own copy, never the project's key. Its directory.
pub fn machine_copy(identity: &Identity, machine_state: &Path) -> anyhow::Result<PathBuf> {
    let dir = machine_state.join(DIR);
    private_dir(&dir)?;
    crate::files::write_state(&dir.join(FILE), &identity.file_text(), 0o600)?;
    Ok(dir)
}

/// `dir`, made when missing, and 0700 whatever it was.
fn private_dir(dir: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .with_context(|| format!("cannot make {} private", dir.display()))
}

/// The identity at `path`, if there is a file.
pub fn read(path: &Path) -> anyhow::Result<Option<Identity>> {
    match std::fs::read_to_string(path) {
        Ok(text) => match Identity::parse(&text) {
            Ok(identity) => Ok(Some(identity)),
            Err(e) => bail!(
                "{}: {e}; remove it and nixvm makes a new one (with a new recipient, which the secrets must then be encrypted to)",
                path.display()
            ),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_reads_back_as_the_same_identity() {
        let identity = Identity::from_secret([7; 32]);
        assert!(identity.secret.starts_with("AGE-SECRET-KEY-1"), "{}", identity.secret);
        assert!(identity.recipient.starts_with("age1"), "{}", identity.recipient);
        assert_eq!(identity.recipient.len(), 62, "{}", identity.recipient);
        let again = Identity::parse(&identity.file_text()).unwrap();
        assert_eq!(again.recipient, identity.recipient);
        assert_eq!(again.secret, identity.secret);
        // Another secret, another recipient.
        assert_ne!(Identity::from_secret([8; 32]).recipient, identity.recipient);
    }

    #[test]
    fn published_identities_give_their_recipients() {
        // Pairs that age's own test data and documentation publish.
        for (secret, recipient) in [
            (
                "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0",
                "age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef",
            ),
            (
                "AGE-SECRET-KEY-1N9JEPW6DWJ0ZQUDX63F5A03GX8QUW7PXDE39N8UYF82VZ9PC8UFS3M7XA9",
                "age1lvyvwawkr0mcnnnncaghunadrqkmuf9e6507x9y920xxpp866cnql7dp2z",
            ),
        ] {
            let identity = Identity::parse(&format!("# created: 2021-01-01T00:00:00Z\n{secret}\n")).unwrap();
            assert_eq!(identity.recipient, recipient);
            assert_eq!(identity.secret, secret, "written back as age writes it");
        }
    }

    #[test]
    fn what_is_not_an_identity_says_so() {
        assert_eq!(Identity::parse("# nothing\n").err(), Some(KeyError::Missing));
        let secret = Identity::from_secret([7; 32]).secret;
        // One character of the data changed: the checksum no longer holds.
        let at = 20;
        let other = if &secret[at..=at] == "Q" { "P" } else { "Q" };
        let broken = format!("{}{other}{}", &secret[..at], &secret[at + 1..]);
        assert!(matches!(Identity::parse(&broken), Err(KeyError::Invalid(_))));
        let recipient_as_key = format!("AGE-SECRET-KEY-1{}", "Q".repeat(10));
        assert!(matches!(Identity::parse(&recipient_as_key), Err(KeyError::Invalid(_))));
    }
}

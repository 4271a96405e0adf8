//! The project's ssh key: `.nixvm/ssh-key` (ed25519, no passphrase, 0600),
//! never in the store or in git; its public half where the flake reads it
//! (tracked by git), authorized for root in the VM variant only.

use super::source::Source;
use anyhow::{bail, Context as _};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

/// The key, made when there is none.
pub struct Key {
    pub private: PathBuf,
    /// Made by this call.
    pub made: bool,
}

/// The source's key: made with `ssh-keygen` when there is none (made aside
/// and renamed, so a half-made key is never taken for one), its public half
/// put where the flake reads it and added to git's index.
pub fn ensure_key(source: &Source) -> anyhow::Result<Key> {
    let private = source.private_key();
    let public = source.public_key();
    let made = !private.exists();
    if made {
        let dir = source.create_state_dir()?;
        let staging = tempfile::Builder::new().prefix(".ssh-key-").tempdir_in(&dir)?;
        let new = staging.path().join("key");
        let root = source.dir().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let comment = format!("nixvm@{root}");
        let args = ["-q", "-t", "ed25519", "-N", "", "-C", &comment, "-f"].map(std::ffi::OsStr::new);
        let out = super::process::output("ssh-keygen", &[&args[..], &[new.as_os_str()]].concat())
            .context("cannot run ssh-keygen (install OpenSSH's client) to make the project's key")?;
        if !out.status.success() {
            bail!("ssh-keygen failed: {}", String::from_utf8_lossy(&out.stderr).trim());
        }
        std::fs::set_permissions(&new, std::fs::Permissions::from_mode(0o600))?;
        std::fs::rename(new.with_extension("pub"), &public).context("cannot store the public key")?;
        std::fs::rename(&new, &private).context("cannot store the private key")?;
    }
    if let Some((in_flake, rel)) = source.public_key_in_flake() {
        let key = std::fs::read_to_string(&public).with_context(|| format!("cannot read {}", public.display()))?;
        if std::fs::read_to_string(&in_flake).ok().as_deref() != Some(key.as_str()) {
            crate::files::write_atomically(&in_flake, &key)?;
            crate::files::track(source.dir(), std::iter::once(&rel))?;
        }
    }
    Ok(Key { private, made })
}

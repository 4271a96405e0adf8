//! A machine's state under `.nixvm/MACHINE/` at the source's root, private to its
//! owner: the disk image, the VM's temporary directory, and what a start
//! records (pid, the forwarded ssh port, the system
//! the disk image was made for). The project key and known_hosts sit in
//! `.nixvm/` itself.

use anyhow::Context as _;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

/// `.nixvm` in the project.
pub fn nixvm_dir(project: &Path) -> PathBuf {
    project.join(".nixvm")
}

/// The project's known_hosts: host keys recorded under `nixvm-MACHINE`.
pub fn known_hosts(project: &Path) -> PathBuf {
    nixvm_dir(project).join("known_hosts")
}

/// The file a machine's VM holds an exclusive lock on.
const LOCK: &str = "lock";
/// The forwarded ssh port, and the other forwards, of the last start.
const SSH_PORT: &str = "ssh-port";
const FORWARDS: &str = "forwards";

/// `fcntl(fd, cmd, ...)` for a lock of type `kind` on the whole file;
/// the lock description the kernel fills in.
fn ofd_lock(fd: std::os::fd::RawFd, cmd: i32, kind: i32) -> std::io::Result<libc::flock> {
    // SAFETY: a zeroed flock is a valid value; fcntl(2) reads and writes
    // only it.
    let mut l: libc::flock = unsafe { std::mem::zeroed() };
    l.l_type = kind as i16;
    l.l_whence = libc::SEEK_SET as i16;
    if unsafe { libc::fcntl(fd, cmd, &mut l) } == -1 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(l)
}

/// A machine's lock, taken. Its descriptor is handed to the VM (inherited
/// across exec), which holds the lock until it exits.
pub struct VmLock(std::fs::File);

impl VmLock {
    /// The descriptor the VM must inherit.
    pub fn fd(&self) -> std::os::fd::RawFd {
        std::os::fd::AsRawFd::as_raw_fd(&self.0)
    }
}

pub struct MachineState {
    pub dir: PathBuf,
    pub machine: String,
    project: PathBuf,
}

impl MachineState {
    pub fn of(project: &Path, machine: &str) -> MachineState {
        MachineState { dir: nixvm_dir(project).join(machine), machine: machine.to_string(), project: project.into() }
    }

    /// Create the directory (and `tmp/` in it), readable by its owner only.
    pub fn create(&self) -> anyhow::Result<()> {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(self.dir.join("tmp"))
            .with_context(|| format!("cannot create {}", self.dir.display()))
    }

    pub fn read(&self, file: &str) -> Option<String> {
        std::fs::read_to_string(self.dir.join(file)).ok().map(|s| s.trim().to_string())
    }

    /// Record `value` in `file`.
    fn write(&self, file: &str, value: impl std::fmt::Display) -> anyhow::Result<()> {
        crate::files::write_state(&self.dir.join(file), &format!("{value}\n"), 0o644)
    }

    /// The path of the machine's unix socket `name` (QEMU's monitor, an
    /// ssh ControlMaster): in its state directory, or, where that path is
    /// too long or has a space or comma, in a private directory of this
    /// user's under /tmp (made here).
    pub fn socket(&self, name: &str) -> anyhow::Result<PathBuf> {
        // SAFETY: getuid(2) cannot fail.
        let short = PathBuf::from(format!("/tmp/nixvm-{}", unsafe { libc::getuid() }));
        let path = crate::runtime::socket_path(&self.dir, name, &short);
        if path.starts_with(&short) {
            private_directory(&short)?;
        }
        Ok(path)
    }

    /// The GC root of the VM the machine last started (`.nixvm/M/vm`).
    pub fn vm_root(&self) -> PathBuf {
        self.dir.join("vm")
    }

    pub fn disk_image(&self) -> PathBuf {
        crate::runtime::disk_image(&self.dir, &self.machine)
    }

    /// The ssh port recorded at the last start.
    pub fn ssh_port(&self) -> Option<u16> {
        self.read(SSH_PORT).and_then(|p| p.parse().ok())
    }

    /// The pid of the machine's VM when it is running: its lock is held
    /// (see `lock`) and the process is that VM, recognised by the
    /// environment it was started with (`NIXVM_STATE=<this directory>`):
    /// the run script ends by `exec`ing QEMU, so the command line changes,
    /// the environment stays. The recorded pid is asked first; when the
    /// pid file is missing, damaged or stale while the lock is held (a
    /// crash, a full disk), the VM is found among the processes by that
    /// environment and its pid recorded again: nothing nixvm started goes
    /// unseen.
    pub fn running_pid(&self) -> Option<i32> {
        if !self.lock_held() {
            return None;
        }
        let mark = format!("{}={}", crate::runtime::STATE_VARIABLE, self.dir.display());
        if let Some(pid) = self.read("pid").and_then(|p| p.parse::<i32>().ok()) {
            if pid > 0 && super::process::has_environment(pid, &mark) {
                return Some(pid);
            }
        }
        let pid = super::process::find_by_environment(&mark)?;
        let _ = self.write("pid", pid);
        Some(pid)
    }

    /// Whether a VM holds the machine's lock: asked of the kernel
    /// (`F_OFD_GETLK`), never by taking it, which could make a VM starting
    /// at that moment fail.
    pub fn lock_held(&self) -> bool {
        use std::os::fd::AsRawFd;
        let Ok(file) = std::fs::File::open(self.dir.join(LOCK)) else { return false };
        ofd_lock(file.as_raw_fd(), libc::F_OFD_GETLK, libc::F_WRLCK).is_ok_and(|l| l.l_type != libc::F_UNLCK as i16)
    }

    /// Take the machine's lock: at most one VM per machine, whatever runs
    /// at once. None when another VM holds it. It is an open file
    /// description lock (`F_OFD_SETLK`), which the VM keeps for its whole
    /// life (`VmLock::fd` stays open across exec), so it is released when
    /// the VM dies, however it dies.
    pub fn lock(&self) -> anyhow::Result<Option<VmLock>> {
        Ok(self.lock_file(LOCK)?.map(VmLock))
    }

    /// An exclusive lock on the file `name` of the machine's state (an
    /// open file description lock, released when the file is closed or
    /// its holder dies), or None when another holds it.
    pub fn lock_file(&self, name: &str) -> anyhow::Result<Option<std::fs::File>> {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::OpenOptionsExt;
        let path = self.dir.join(name);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .mode(0o600)
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        match ofd_lock(file.as_raw_fd(), libc::F_OFD_SETLK, libc::F_WRLCK) {
            Ok(_) => Ok(Some(file)),
            Err(e) if matches!(e.raw_os_error(), Some(libc::EAGAIN) | Some(libc::EACCES)) => Ok(None),
            Err(e) => Err(e).with_context(|| format!("cannot lock {}", path.display())),
        }
    }

    /// The forwarded ssh port of the running VM, or a clear error.
    pub fn running_ssh_port(&self) -> anyhow::Result<u16> {
        let m = &self.machine;
        let Some(pid) = self.running_pid() else {
            anyhow::bail!("{m} is not running (start it with `nixvm up {m}` or `nixvm run {m}`)");
        };
        self.port_of(pid).with_context(|| {
            format!(
                "{m} runs, but {} is missing or damaged and its VM does not say its ssh port (an older nixvm started it); restart it: nixvm down {m}; nixvm up {m}",
                self.dir.join(SSH_PORT).display()
            )
        })
    }

    /// The ssh port of the running VM `pid`: as recorded, else as its
    /// environment says (recorded again).
    fn port_of(&self, pid: i32) -> Option<u16> {
        self.ssh_port().or_else(|| {
            let port = super::process::variable(pid, crate::runtime::SSH_PORT_VARIABLE)?.parse().ok()?;
            let _ = self.write(SSH_PORT, port);
            Some(port)
        })
    }

    /// The ssh port and forwards of the running VM `pid` (`status`): as
    /// recorded, else as its environment says. A forward that cannot be
    /// told is said so in the list.
    pub fn running_ports(&self, pid: i32) -> (Option<u16>, Vec<String>) {
        let recorded = self.read(FORWARDS).map(|t| {
            t.lines()
                .filter(|l| !l.is_empty())
                .map(|l| crate::runtime::Forward::parse(l).map(|f| f.to_string()))
                .collect()
        });
        let forwards = match recorded {
            Some(Ok(list)) => list,
            _ => match super::process::variable(pid, crate::runtime::FORWARDS_VARIABLE) {
                Some(list) => {
                    let list: Vec<String> = list.split_whitespace().map(str::to_string).collect();
                    let _ = self.write(FORWARDS, list.join("\n"));
                    list
                }
                None => {
                    vec![format!("(unknown: {} is damaged; restart the machine)", self.dir.join(FORWARDS).display())]
                }
            },
        };
        (self.port_of(pid), forwards)
    }

    /// Before the VM starts: remember the port; when the run script is
    /// about to create a new disk image (`image`), record the system it is
    /// made for and forget the old image's host key.
    pub fn prepare_start(&self, port: u16, image: &Path, system: &Path) -> anyhow::Result<()> {
        self.write(SSH_PORT, port)?;
        if !image.exists() {
            self.write("disk-system", system.display())?;
            forget_host_key(&self.project, &self.machine)?;
        }
        Ok(())
    }

    /// The ports forwarded to the VM besides ssh (`Forward`'s form, one a
    /// line).
    pub fn record_forwards(&self, forwards: &[crate::runtime::Forward]) -> anyhow::Result<()> {
        let text: String = forwards.iter().map(|f| format!("{f}\n")).collect();
        self.write(FORWARDS, text.trim_end())
    }

    /// After the VM started: its pid. The last VM's file goes first: a
    /// rename over an existing file makes ext4 write the new one out at
    /// once (a tenth of a millisecond before every `run`), and the machine's
    /// lock, held, means no VM runs meanwhile.
    pub fn record_running(&self, pid: u32) -> anyhow::Result<()> {
        self.forget_pid();
        self.write("pid", pid)
    }

    pub fn forget_pid(&self) {
        let _ = std::fs::remove_file(self.dir.join("pid"));
    }

    /// Remove the disk image and the rest of the state but the files
    /// `kept` (a test's lock, held meanwhile), and the host key.
    pub fn reset(&self, kept: &[&str]) -> anyhow::Result<()> {
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for e in entries.flatten() {
                if kept.iter().any(|k| e.file_name() == *k) {
                    continue;
                }
                let path = e.path();
                let removed = if e.file_type().is_ok_and(|t| t.is_dir()) {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
                removed.with_context(|| format!("cannot remove {}", path.display()))?;
            }
        }
        forget_host_key(&self.project, &self.machine)
    }

    /// Remove the disk image and state, and the host key that went with them.
    pub fn remove(&self) -> anyhow::Result<()> {
        if self.dir.exists() {
            std::fs::remove_dir_all(&self.dir).with_context(|| format!("cannot remove {}", self.dir.display()))?;
        }
        forget_host_key(&self.project, &self.machine)
    }
}

/// `dir`, made when missing: it must be this user's own and private to it
/// (a directory under /tmp that someone else made could hold their
/// sockets).
fn private_directory(dir: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::MetadataExt;
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", dir.display())),
    }
    let meta = std::fs::symlink_metadata(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    // SAFETY: getuid(2) cannot fail.
    if !meta.is_dir() || meta.uid() != unsafe { libc::getuid() } || meta.mode() & 0o077 != 0 {
        anyhow::bail!("{} is not a private directory of this user's; remove it", dir.display());
    }
    Ok(())
}

/// Drop the machine's lines from the project's known_hosts: a new disk
/// image comes with a new host key.
pub fn forget_host_key(project: &Path, machine: &str) -> anyhow::Result<()> {
    let path = known_hosts(project);
    let Ok(text) = std::fs::read_to_string(&path) else { return Ok(()) };
    let alias = crate::runtime::host_key_alias(machine);
    let kept: String = text
        .lines()
        .filter(|l| l.split_whitespace().next().is_none_or(|hosts| !hosts.split(',').any(|h| h == alias)))
        .map(|l| format!("{l}\n"))
        .collect();
    crate::files::write_state(&path, &kept, 0o644)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgetting_a_host_key_keeps_the_others() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(nixvm_dir(tmp.path())).unwrap();
        let kh = known_hosts(tmp.path());
        std::fs::write(&kh, "nixvm-web ssh-ed25519 AAAA1\nnixvm-webby ssh-ed25519 AAAA2\nnixvm-db ssh-ed25519 AAAA3\n")
            .unwrap();
        forget_host_key(tmp.path(), "web").unwrap();
        assert_eq!(
            std::fs::read_to_string(&kh).unwrap(),
            "nixvm-webby ssh-ed25519 AAAA2\nnixvm-db ssh-ed25519 AAAA3\n"
        );
        forget_host_key(tmp.path(), "nope").unwrap();
        forget_host_key(tmp.path(), "web").unwrap();
    }
}

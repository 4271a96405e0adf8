//! A machine's console log, `.nixvm/M/console.log` (`up` and `run --console` write it): read
//! whole or its last lines, or followed as it grows while the VM runs.

use super::source::{check_name, Source};
use anyhow::{bail, Context as _};
use std::io::{Read, Seek, SeekFrom};
use std::time::Duration;

/// How often a followed log is read again.
const POLL: Duration = Duration::from_millis(200);

/// `console` for a machine the user named: it must be one (`nix` lists
/// them, when it has no state).
pub fn console_of_named(
    source: &Source,
    nix: Result<&crate::nix::Nix, String>,
    machine: &str,
    lines: Option<usize>,
    follow: bool,
    out: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    source.check_known_or_kept(std::slice::from_ref(&machine.to_string()), nix)?;
    console(source, machine, lines, follow, out)
}

/// Send `machine`'s console log to `out`: all of it, or its last `lines`;
/// with `follow`, then what the VM writes until it stops (a new VM of the
/// machine starts a new log: followed from its start).
pub fn console(
    source: &Source,
    machine: &str,
    lines: Option<usize>,
    follow: bool,
    out: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    check_name(machine)?;

    let state = source.state(machine);
    let path = state.dir.join(super::start::CONSOLE_LOG);
    let mut file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!("{machine} has no console log: `nixvm up {machine}` and `nixvm run {machine} --console` write one")
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let mut text = vec![];
    file.read_to_end(&mut text).with_context(|| format!("cannot read {}", path.display()))?;
    let shown = match lines {
        Some(n) => tail(&text, n),
        None => &text[..],
    };
    out(shown)?;
    if !follow {
        return Ok(());
    }
    use std::os::unix::fs::MetadataExt;
    let mut offset = text.len() as u64;
    let mut inode = file.metadata().map(|m| m.ino()).unwrap_or(0);
    loop {
        let running = state.running_pid().is_some();
        let (len, now) = std::fs::metadata(&path).map(|m| (m.len(), m.ino())).unwrap_or((0, inode));
        if len < offset || now != inode {
            inode = now;
            // A new VM started a new log.
            file = std::fs::File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
            offset = 0;
        }
        file.seek(SeekFrom::Start(offset))?;
        let mut new = vec![];
        file.read_to_end(&mut new)?;
        offset += new.len() as u64;
        if !new.is_empty() {
            out(&new)?;
        } else if !running {
            return Ok(());
        }
        std::thread::sleep(POLL);
    }
}

/// The last `n` lines of `text` (a last line without its line break counts).
pub fn tail(text: &[u8], n: usize) -> &[u8] {
    let body = text.strip_suffix(b"\n").unwrap_or(text);
    let start =
        body.iter().enumerate().rev().filter(|(_, b)| **b == b'\n').nth(n.saturating_sub(1)).map_or(0, |(i, _)| i + 1);
    if n == 0 {
        return &text[text.len()..];
    }
    &text[start..]
}

#[cfg(test)]
mod tests {
    use super::tail;

    #[test]
    fn the_last_lines() {
        assert_eq!(tail(b"a\nb\nc\n", 2), b"b\nc\n");
        assert_eq!(tail(b"a\nb\nc", 2), b"b\nc");
        assert_eq!(tail(b"a\nb\nc\n", 5), b"a\nb\nc\n");
        assert_eq!(tail(b"a\nb\nc\n", 0), b"");
        assert_eq!(tail(b"", 3), b"");
        assert_eq!(tail(b"\n\n", 1), b"\n");
    }
}

//! A flake's pinned inputs (`flake.lock`) and where Nix keeps their sources.
//! Pure: a locked input's store path follows from its `narHash` alone
//! (Nix stores fetched trees as `sha256`-recursive fixed-output paths named
//! `source`), so nixvm finds the pinned nixpkgs without running nix.

use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LockError {
    #[error("flake.lock is not valid JSON: {0}")]
    Json(String),
    #[error("flake.lock has no input `{0}`")]
    NoInput(String),
    #[error("flake.lock's input `{0}` has no narHash")]
    NoNarHash(String),
    #[error("`{0}` is not a sha256 hash in SRI form (sha256-...)")]
    BadHash(String),
}

/// One locked input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedInput {
    /// Where it comes from, as a flake reference (`github:NixOS/nixpkgs/REV`).
    pub reference: String,
    pub nar_hash: String,
    /// Its source tree in the Nix store (which may not have been fetched).
    pub store_path: PathBuf,
    /// The branch the flake names (`ref` in the lock's `original`, as in
    /// `github:NixOS/nixpkgs/nixos-24.11`), when it names one.
    pub branch: Option<String>,
}

/// The input `name` of the root flake in `lock_json`, following `follows`
/// paths.
pub fn locked_input(lock_json: &str, name: &str, store_dir: &str) -> Result<LockedInput, LockError> {
    let lock: serde_json::Value = serde_json::from_str(lock_json).map_err(|e| LockError::Json(e.to_string()))?;
    let nodes = &lock["nodes"];
    let root = lock["root"].as_str().unwrap_or("root");
    let missing = || LockError::NoInput(name.to_string());
    let node_name = match &nodes[root]["inputs"][name] {
        serde_json::Value::String(n) => n.clone(),
        serde_json::Value::Array(path) => follow(nodes, root, path).ok_or_else(missing)?,
        _ => return Err(missing()),
    };
    let locked = &nodes[node_name.as_str()]["locked"];
    if !locked.is_object() {
        return Err(missing());
    }
    let nar_hash = locked["narHash"].as_str().ok_or_else(|| LockError::NoNarHash(name.to_string()))?;
    Ok(LockedInput {
        reference: reference(locked),
        nar_hash: nar_hash.to_string(),
        store_path: source_path(store_dir, nar_hash)?,
        branch: nodes[node_name.as_str()]["original"]["ref"].as_str().map(str::to_string),
    })
}

/// The node an input `follows` path (`[ "a", "nixpkgs" ]`) leads to.
fn follow(nodes: &serde_json::Value, root: &str, path: &[serde_json::Value]) -> Option<String> {
    // A bound on the steps taken in all, in case of a cyclic lock file.
    let mut budget = 64;
    follow_within(nodes, root, path, &mut budget)
}

fn follow_within(
    nodes: &serde_json::Value,
    root: &str,
    path: &[serde_json::Value],
    budget: &mut u32,
) -> Option<String> {
    let mut node = root.to_string();
    for step in path {
        *budget = budget.checked_sub(1)?;
        node = match &nodes[node.as_str()]["inputs"][step.as_str()?] {
            serde_json::Value::String(n) => n.clone(),
            serde_json::Value::Array(p) => follow_within(nodes, root, p, budget)?,
            _ => return None,
        };
    }
    Some(node)
}

/// A flake reference naming a locked input, for messages.
fn reference(locked: &serde_json::Value) -> String {
    let s = |k: &str| locked[k].as_str().unwrap_or("");
    match s("type") {
        "github" | "gitlab" | "sourcehut" => format!("{}:{}/{}/{}", s("type"), s("owner"), s("repo"), s("rev")),
        "path" => format!("path:{}", s("path")),
        "git" | "tarball" | "file" => format!("{}+{}", s("type"), s("url")),
        "indirect" => format!("flake:{}", s("id")),
        other => other.to_string(),
    }
}

/// The store path of a source tree with this NAR hash (`sha256-<base64>`).
pub fn source_path(store_dir: &str, nar_hash: &str) -> Result<PathBuf, LockError> {
    let bad = || LockError::BadHash(nar_hash.to_string());
    let b64 = nar_hash.strip_prefix("sha256-").ok_or_else(bad)?;
    let digest = base64::engine::general_purpose::STANDARD.decode(b64).map_err(|_| bad())?;
    if digest.len() != 32 {
        return Err(bad());
    }
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let store_dir = store_dir.trim_end_matches('/');
    // Nix's makeStorePath for a recursive sha256 fixed output without
    // references: type "source", the hash in base 16, the store, the name.
    let fingerprint = format!("source:sha256:{hex}:{store_dir}:source");
    let full = Sha256::digest(fingerprint.as_bytes());
    let mut short = [0u8; 20];
    for (i, b) in full.iter().enumerate() {
        short[i % 20] ^= b;
    }
    Ok(PathBuf::from(format!("{store_dir}/{}-source", nix_base32(&short))))
}

/// Nix's base-32 (its own alphabet, least significant bits last).
fn nix_base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789abcdfghijklmnpqrsvwxyz";
    let len = (bytes.len() * 8).div_ceil(5);
    (0..len)
        .rev()
        .map(|n| {
            let bit = n * 5;
            let (i, j) = (bit / 8, bit % 8);
            let low = bytes[i] >> j;
            let high = if i + 1 < bytes.len() { (u16::from(bytes[i + 1]) << (8 - j)) as u8 } else { 0 };
            ALPHABET[usize::from((low | high) & 0x1f)] as char
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // A pair Nix 2.8 printed (`nix flake metadata --json`: narHash, path).
    const NAR_HASH: &str = "sha256-jZqR0RhQM98fyFjAvTbxJw9Yn1I0GA71QHZekUPNOzc=";
    const STORE_PATH: &str = "/nix/store/3ch3vfwnjcw99l8gczxj3ixiais0qinz-source";

    #[test]
    fn the_store_path_follows_from_the_nar_hash() {
        assert_eq!(source_path("/nix/store", NAR_HASH).unwrap(), PathBuf::from(STORE_PATH));
        assert_eq!(source_path("/nix/store/", NAR_HASH).unwrap(), PathBuf::from(STORE_PATH));
        assert_ne!(source_path("/other/store", NAR_HASH).unwrap(), PathBuf::from(STORE_PATH));
        for bad in ["", "sha256-", "sha512-jZqR0RhQM98fyFjAvTbxJw9Yn1I0GA71QHZekUPNOzc=", "sha256-***", "sha256-AAAA"] {
            assert_eq!(source_path("/nix/store", bad), Err(LockError::BadHash(bad.into())), "{bad}");
        }
    }

    #[test]
    fn base32_matches_nix() {
        // Nix prints the 32-byte zero hash as 52 zeros, and 0x01 first as "...01".
        assert_eq!(nix_base32(&[0; 32]), "0".repeat(52));
        let mut one = [0u8; 20];
        one[0] = 1;
        assert_eq!(nix_base32(&one), format!("{}1", "0".repeat(31)));
    }

    fn lock(inputs: &str, nodes: &str) -> String {
        format!(r#"{{"nodes": {{"root": {{"inputs": {inputs}}}{nodes}}}, "root": "root", "version": 7}}"#)
    }

    const NIXPKGS: &str = r#", "nixpkgs_2": {"locked": {"type": "github", "owner": "NixOS", "repo": "nixpkgs", "rev": "abc", "narHash": "sha256-jZqR0RhQM98fyFjAvTbxJw9Yn1I0GA71QHZekUPNOzc="}}"#;

    #[test]
    fn inputs_are_found_directly_and_through_follows() {
        let direct = lock(r#"{"nixpkgs": "nixpkgs_2"}"#, NIXPKGS);
        let input = locked_input(&direct, "nixpkgs", "/nix/store").unwrap();
        assert_eq!(input.reference, "github:NixOS/nixpkgs/abc");
        assert_eq!(input.store_path, PathBuf::from(STORE_PATH));

        let follows = lock(
            r#"{"nixpkgs": ["tools", "nixpkgs"], "tools": "tools"}"#,
            &format!(r#"{NIXPKGS}, "tools": {{"inputs": {{"nixpkgs": "nixpkgs_2"}}, "locked": {{"narHash": "x"}}}}"#),
        );
        assert_eq!(locked_input(&follows, "nixpkgs", "/nix/store").unwrap().store_path, PathBuf::from(STORE_PATH));
    }

    #[test]
    fn broken_locks_are_errors_not_panics() {
        assert!(matches!(locked_input("{", "nixpkgs", "/nix/store"), Err(LockError::Json(_))));
        assert_eq!(locked_input("[]", "nixpkgs", "/nix/store"), Err(LockError::NoInput("nixpkgs".into())));
        let cyclic =
            lock(r#"{"nixpkgs": ["a", "nixpkgs"], "a": "a"}"#, r#", "a": {"inputs": {"nixpkgs": ["a", "nixpkgs"]}}"#);
        assert_eq!(locked_input(&cyclic, "nixpkgs", "/nix/store"), Err(LockError::NoInput("nixpkgs".into())));
        let no_hash = lock(r#"{"nixpkgs": "n"}"#, r#", "n": {"locked": {"type": "path", "path": "/x"}}"#);
        assert_eq!(locked_input(&no_hash, "nixpkgs", "/nix/store"), Err(LockError::NoNarHash("nixpkgs".into())));
    }
}

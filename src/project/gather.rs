//! Reading the user's tree for `init`: a configuration or network file and
//! every file it refers to by a relative path (imports, `./x` values,
//! directories), followed transitively. The one part of `project` that
//! touches the file system; it only reads.

use crate::syntax::{self, ImportTarget, PathKind};
use anyhow::{bail, Context as _};
use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};

/// The user's files, by path relative to their common directory.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub files: BTreeMap<PathBuf, Vec<u8>>,
    /// NixOS test scripts beside the entry file (`tests/NAME.py`), by
    /// file name: the project's `tests/`.
    pub tests: BTreeMap<String, Vec<u8>>,
}

pub struct Gathered {
    /// The deepest directory holding every file read.
    pub root: PathBuf,
    pub sources: Sources,
    pub warnings: Vec<String>,
}

impl Gathered {
    pub fn relative(&self, abs: &Path) -> PathBuf {
        abs.strip_prefix(&self.root).map(Path::to_path_buf).unwrap_or_else(|_| abs.to_path_buf())
    }
}

/// Read `entry` and every file it refers to by a relative path (imports,
/// `./x` values, directories), following `.nix` files transitively.
pub fn gather(entry: &Path, keep_hardware: bool) -> anyhow::Result<Gathered> {
    let mut files: BTreeMap<PathBuf, Vec<u8>> = BTreeMap::new();
    let mut warnings = vec![];
    let mut queue = VecDeque::from([entry.to_path_buf()]);
    while let Some(file) = queue.pop_front() {
        if files.contains_key(&file) {
            continue;
        }
        let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
        let dir = file.parent().unwrap_or(Path::new("/")).to_path_buf();
        if file.extension().is_some_and(|e| e == "nix") {
            let text = String::from_utf8(bytes.clone())
                .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", file.display()))?;
            let parsed = syntax::parse(&text);
            if let Some(e) = parsed.errors.first() {
                let p = crate::text::LineIndex::new(&text).position(&text, e.span.start);
                bail!("{}:{}:{}: {}", file.display(), p.line, p.column, e.message);
            }
            let analysis = syntax::analyze(&parsed);
            let hardware: Vec<_> = analysis
                .modules
                .iter()
                .flat_map(|m| &m.imports)
                .filter(|i| i.target.file_name() == Some("hardware-configuration.nix"))
                .map(|i| i.span)
                .collect();
            for import in analysis.modules.iter().flat_map(|m| &m.imports) {
                let written = match &import.target {
                    ImportTarget::Path(p) if p.starts_with("./") || p.starts_with("../") => continue,
                    // Inside nixpkgs, or a module that says an option is gone: no file to copy.
                    ImportTarget::ModulesPath(_) | ImportTarget::OptionChange { .. } => continue,
                    ImportTarget::Path(p) | ImportTarget::Str(p) | ImportTarget::Other(p) => p,
                };
                warnings.push(format!(
                    "{}: the import `{written}` cannot be followed statically; it is not copied",
                    file.display()
                ));
            }
            for path in analysis.paths.iter().filter(|p| p.kind == PathKind::Relative) {
                if !keep_hardware && hardware.iter().any(|h| h.contains(path.span)) {
                    continue;
                }
                if path.text.contains("${") {
                    warnings.push(format!("{}: `{}` is computed; it is not copied", file.display(), path.text));
                    continue;
                }
                let target = crate::text::normalize_path(&dir.join(&path.text));
                let meta = std::fs::metadata(&target);
                match meta {
                    Ok(m) if m.is_dir() => {
                        for f in walk_dir(&target)? {
                            queue.push_back(f);
                        }
                    }
                    Ok(_) => queue.push_back(target),
                    Err(_) => {
                        let is_import =
                            analysis.modules.iter().flat_map(|m| &m.imports).any(|i| i.span.contains(path.span));
                        let p = crate::text::LineIndex::new(&text).position(&text, path.span.start);
                        let msg = format!("{}:{}:{}: `{}` does not exist", file.display(), p.line, p.column, path.text);
                        if is_import {
                            bail!("{msg}");
                        }
                        warnings.push(msg);
                    }
                }
            }
        }
        files.insert(file, bytes);
    }
    let root = crate::text::common_dir(files.keys());
    let sources = Sources {
        files: files.into_iter().map(|(p, b)| (p.strip_prefix(&root).map(Path::to_path_buf).unwrap_or(p), b)).collect(),
        tests: test_scripts(entry.parent().unwrap_or(Path::new("/")))?,
    };
    Ok(Gathered { root, sources, warnings })
}

fn walk_dir(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = vec![];
    for entry in ignore::WalkBuilder::new(dir).hidden(true).build() {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        if entry.file_type().is_some_and(|t| t.is_file()) {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

/// The test scripts in `dir/tests` (`*.py`), by file name.
fn test_scripts(dir: &Path) -> anyhow::Result<BTreeMap<String, Vec<u8>>> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir.join("tests")) else { return Ok(out) };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".py") && e.file_type().is_ok_and(|t| t.is_file()) {
            let bytes = std::fs::read(e.path()).with_context(|| format!("cannot read {}", e.path().display()))?;
            out.insert(name, bytes);
        }
    }
    Ok(out)
}

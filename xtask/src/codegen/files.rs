//! Writing generated files, or checking that the committed ones are fresh.

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use super::CodegenError;
use super::render::is_generated;

/// Write the files, or only compare them with the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write changed files and delete generated files no longer produced.
    Write,
    /// Write nothing; report every difference.
    Check,
}

/// One output file, its path relative to the job's output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative path with `/` separators, e.g. `types/lead.rs`.
    pub path: String,
    /// The complete contents, header included.
    pub contents: String,
}

/// What [`sync`] found or did.
#[derive(Debug, Default, Clone)]
pub struct SyncReport {
    /// Files whose contents were already right.
    pub unchanged: usize,
    /// Files written (in [`Mode::Write`]).
    pub written: Vec<String>,
    /// Generated files deleted because nothing produces them any more.
    pub removed: Vec<String>,
    /// In [`Mode::Check`]: each out-of-date file and what is wrong with it.
    pub stale: Vec<String>,
}

impl fmt::Display for SyncReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} unchanged, {} written, {} removed",
            self.unchanged,
            self.written.len(),
            self.removed.len()
        )?;
        if !self.stale.is_empty() {
            write!(f, ", {} stale", self.stale.len())?;
        }
        Ok(())
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CodegenError + '_ {
    move |source| CodegenError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Every file under `dir` (recursively) that carries the `@generated` header,
/// as relative `/`-separated paths, sorted.
fn existing_generated(dir: &Path) -> Result<BTreeSet<String>, CodegenError> {
    let mut found = BTreeSet::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let abs = dir.join(&rel);
        let entries = match fs::read_dir(&abs) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io(&abs)(e)),
        };
        for entry in entries {
            let entry = entry.map_err(io(&abs))?;
            let rel_child = rel.join(entry.file_name());
            let kind = entry.file_type().map_err(io(&abs))?;
            if kind.is_dir() {
                stack.push(rel_child);
            } else if kind.is_file() {
                let path = entry.path();
                let contents = fs::read_to_string(&path).unwrap_or_default();
                if is_generated(&contents) {
                    found.insert(rel_child.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    Ok(found)
}

/// Makes `dir` hold exactly `files` (among files with the `@generated`
/// header), or in [`Mode::Check`] reports how it differs.
pub fn sync(dir: &Path, files: &[GeneratedFile], mode: Mode) -> Result<SyncReport, CodegenError> {
    let mut report = SyncReport::default();
    let mut leftovers = existing_generated(dir)?;
    for file in files {
        leftovers.remove(&file.path);
        let path = dir.join(&file.path);
        let shown = path.to_string_lossy().replace('\\', "/");
        match fs::read_to_string(&path) {
            Ok(current) if current == file.contents => report.unchanged += 1,
            Ok(current) if !is_generated(&current) => {
                return Err(CodegenError::Io {
                    path,
                    source: std::io::Error::other(
                        "refusing to overwrite a file without an @generated header",
                    ),
                });
            }
            Ok(_) if mode == Mode::Check => report.stale.push(format!("{shown} (differs)")),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && mode == Mode::Check => {
                report.stale.push(format!("{shown} (missing)"));
            }
            Ok(_) | Err(_) => {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(io(parent))?;
                }
                fs::write(&path, &file.contents).map_err(io(&path))?;
                report.written.push(shown);
            }
        }
    }
    for leftover in leftovers {
        let path = dir.join(&leftover);
        let shown = path.to_string_lossy().replace('\\', "/");
        match mode {
            Mode::Check => report.stale.push(format!("{shown} (no longer generated)")),
            Mode::Write => {
                fs::remove_file(&path).map_err(io(&path))?;
                report.removed.push(shown);
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen::render::header;

    fn file(path: &str, body: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.to_owned(),
            contents: format!("{}{body}", header("c", "s")),
        }
    }

    fn tempdir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-files-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn write_then_check_is_clean_and_changes_are_named() {
        let dir = tempdir("cycle");
        let files = vec![file("a.rs", "a"), file("sub/b.rs", "b")];
        let report = sync(&dir, &files, Mode::Write).unwrap();
        assert_eq!(report.written.len(), 2);
        assert!(sync(&dir, &files, Mode::Check).unwrap().stale.is_empty());

        // A changed file, a missing file and a leftover file are all named.
        fs::write(dir.join("a.rs"), format!("{}edited", header("c", "s"))).unwrap();
        fs::remove_file(dir.join("sub/b.rs")).unwrap();
        fs::write(dir.join("old.rs"), header("c", "s")).unwrap();
        let stale = sync(&dir, &files, Mode::Check).unwrap().stale;
        assert_eq!(stale.len(), 3, "{stale:?}");
        assert!(stale.iter().any(|s| s.ends_with("a.rs (differs)")));
        assert!(stale.iter().any(|s| s.ends_with("sub/b.rs (missing)")));
        assert!(
            stale
                .iter()
                .any(|s| s.ends_with("old.rs (no longer generated)"))
        );

        // Write mode repairs all three, and a hand-written file is left alone.
        fs::write(dir.join("mod_notes.txt"), "hand-written").unwrap();
        let report = sync(&dir, &files, Mode::Write).unwrap();
        assert_eq!(report.written.len(), 2);
        assert_eq!(report.removed.len(), 1);
        assert!(dir.join("mod_notes.txt").exists());
        assert!(sync(&dir, &files, Mode::Check).unwrap().stale.is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn never_overwrites_a_hand_written_file() {
        let dir = tempdir("hand");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("a.rs"), "// mine").unwrap();
        let err = sync(&dir, &[file("a.rs", "x")], Mode::Write).unwrap_err();
        assert!(
            err.to_string().contains("without an @generated header"),
            "{err}"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}

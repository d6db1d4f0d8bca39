//! One spelling for a path given on the command line, so that the
//! generated headers (which name the spec and the output directory) and
//! therefore `--check` give the same answer however the path was written:
//! relative or absolute, with `./`, `..` or symbolic links, from any current
//! directory.

use std::path::{Component, Path, PathBuf};

/// `given` (relative to the current directory `cwd`) made absolute,
/// `.`/`..` and symbolic links resolved for the part that exists (the rest,
/// e.g. an output directory not created yet, resolved lexically), then
/// written relative to the workspace `root` when inside it, else absolute.
/// `/` separators are kept as the platform writes them.
pub fn canonical_spelling(given: &Path, cwd: &Path, root: &Path) -> PathBuf {
    let absolute = if given.is_absolute() {
        given.to_path_buf()
    } else {
        cwd.join(given)
    };
    let resolved = resolve(&absolute);
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| lexical(root));
    match resolved.strip_prefix(&root) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => resolved,
    }
}

/// `path` (absolute) with its longest existing prefix canonicalized (so
/// symbolic links and `..` are resolved as the file system does) and the
/// remaining components applied lexically. The path need not exist.
pub fn resolve(path: &Path) -> PathBuf {
    let parts: Vec<Component<'_>> = path.components().collect();
    for n in (1..=parts.len()).rev() {
        let prefix: PathBuf = parts[..n].iter().collect();
        if let Ok(mut out) = std::fs::canonicalize(&prefix) {
            for part in &parts[n..] {
                match part {
                    Component::CurDir => {}
                    Component::ParentDir => {
                        out.pop();
                    }
                    other => out.push(other.as_os_str()),
                }
            }
            return out;
        }
    }
    lexical(path)
}

/// `path` with `.` dropped and `..` applied to the component before it.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_path_gives_one() {
        let root = std::env::temp_dir().join(format!("xtask-paths-{}", std::process::id()));
        std::fs::create_dir_all(root.join("specs")).unwrap();
        std::fs::write(root.join("specs/x.wsdl"), "").unwrap();
        let want = PathBuf::from("specs/x.wsdl");
        let sub = root.join("specs");
        for (given, cwd) in [
            ("specs/x.wsdl", &root),
            ("./specs/../specs/x.wsdl", &root),
            ("x.wsdl", &sub),
            ("../specs/./x.wsdl", &sub),
        ] {
            assert_eq!(
                canonical_spelling(Path::new(given), cwd, &root),
                want,
                "{given}"
            );
        }
        let absolute = root.join("specs/x.wsdl");
        assert_eq!(canonical_spelling(&absolute, &sub, &root), want);
        // Not created yet: resolved lexically below the existing part.
        assert_eq!(
            canonical_spelling(Path::new("./out/../out/gen"), &root, &root),
            PathBuf::from("out/gen")
        );
        // Outside the root: absolute.
        let outside = canonical_spelling(Path::new("/"), &root, &root);
        assert!(outside.is_absolute());
        let _ = std::fs::remove_dir_all(&root);
    }
}

//! Walking folders, before anything is read: the rule files `jixiao fmt` and `jixiao test` find
//! under a folder, and the data files a glob names, in sorted order and without following
//! symbolic links to folders.

use std::path::{Path, PathBuf};

/// The entries under `root` (itself first, then depth first, sorted by name within each
/// folder), without entering hidden folders (`.git`), `target`, or a symbolic link to a folder.
/// `root` itself is followed when it is a link. An entry that cannot be read is an `Err`.
/// (A `walkdir` iterator, so a caller can `skip_current_dir`.)
pub fn walk(root: &Path) -> Walk {
    walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(entered)
}

/// The iterator [`walk`] returns.
pub type Walk = walkdir::FilterEntry<walkdir::IntoIter, fn(&walkdir::DirEntry) -> bool>;

/// Whether a walk yields (and, for a folder, enters) an entry: not hidden folders (`.git`) nor
/// build output (`target`) below the root.
fn entered(e: &walkdir::DirEntry) -> bool {
    let name = e.file_name().to_string_lossy();
    e.depth() == 0 || !e.file_type().is_dir() || !(name.starts_with('.') || name == "target")
}

/// The paths matching a glob pattern (`departments/*.toml`, `data/**/*.json`), in sorted order,
/// found by walking from the pattern's literal folder without following symbolic links to
/// folders (the `glob` crate follows them, and loops on a link to `.`). `*` does not cross a
/// `/`; `**` as a whole part matches any number of folders.
pub fn glob(pattern: &str) -> Result<Vec<PathBuf>, glob::PatternError> {
    let compiled = glob::Pattern::new(pattern)?;
    let options = glob::MatchOptions {
        require_literal_separator: true,
        ..glob::MatchOptions::new()
    };
    let path = Path::new(pattern);
    let parts: Vec<_> = path.components().collect();
    let wild =
        |c: &std::path::Component<'_>| c.as_os_str().to_string_lossy().contains(['*', '?', '[']);
    let Some(first_wild) = parts.iter().position(wild) else {
        // No wildcard: the path itself, if it is there.
        return Ok(if std::fs::symlink_metadata(path).is_ok() {
            vec![path.to_path_buf()]
        } else {
            Vec::new()
        });
    };
    let base: PathBuf = parts[..first_wild].iter().collect();
    let root = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base.as_path()
    };
    let rest = &parts[first_wild..];
    let depth = if rest.iter().any(|c| c.as_os_str() == "**") {
        usize::MAX
    } else {
        rest.len()
    };
    let mut out = Vec::new();
    let entries = walkdir::WalkDir::new(root)
        .follow_links(false)
        .min_depth(1)
        .max_depth(depth)
        .sort_by_file_name();
    for entry in entries.into_iter().flatten() {
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let candidate = base.join(rel);
        if compiled.matches_path_with(&candidate, options) {
            out.push(candidate);
        }
    }
    Ok(out)
}

#[cfg(all(test, unix))]
mod walking {
    use super::*;

    /// A folder with rule files, and links back to itself that a naive walk follows forever.
    fn looped() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b/c")).unwrap();
        for file in ["b/c/z.jx", "b/y.jx", "a.jx", "b/data.toml"] {
            std::fs::write(dir.path().join(file), "").unwrap();
        }
        for (link, to) in [
            ("l1", "."),
            ("l2", "."),
            ("b/up", ".."),
            ("b/c/top", "../.."),
        ] {
            std::os::unix::fs::symlink(to, dir.path().join(link)).unwrap();
        }
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git/x.jx"), "").unwrap();
        dir
    }

    #[test]
    fn a_walk_does_not_follow_links_to_folders_and_is_sorted() {
        let dir = looped();
        let seen: Vec<String> = walk(dir.path())
            .map(|e| e.unwrap())
            .filter(|e| e.depth() > 0)
            .map(|e| {
                let rel = e.path().strip_prefix(dir.path()).unwrap();
                rel.to_string_lossy().into_owned()
            })
            .collect();
        assert_eq!(
            seen,
            [
                "a.jx",
                "b",
                "b/c",
                "b/c/top",
                "b/c/z.jx",
                "b/data.toml",
                "b/up",
                "b/y.jx",
                "l1",
                "l2"
            ]
        );
    }

    #[test]
    fn glob_matches_in_order_without_looping() {
        let dir = looped();
        let root = dir.path().to_string_lossy().into_owned();
        let rel = |paths: Vec<PathBuf>| -> Vec<String> {
            paths
                .iter()
                .map(|p| {
                    p.strip_prefix(dir.path())
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect()
        };
        assert_eq!(rel(glob(&format!("{root}/*.jx")).unwrap()), ["a.jx"]);
        assert_eq!(
            rel(glob(&format!("{root}/**/*.jx")).unwrap()),
            [".git/x.jx", "a.jx", "b/c/z.jx", "b/y.jx"]
        );
        assert_eq!(
            rel(glob(&format!("{root}/b/*")).unwrap()),
            ["b/c", "b/data.toml", "b/up", "b/y.jx"]
        );
        assert_eq!(
            rel(glob(&format!("{root}/b/data.toml")).unwrap()),
            ["b/data.toml"]
        );
        assert!(glob(&format!("{root}/nothing/*.toml")).unwrap().is_empty());
        assert!(glob(&format!("{root}/[")).is_err());
    }
}

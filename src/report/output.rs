//! Atomic output: every file is written to a temporary name and renamed into place only
//! after the whole run succeeded, so a failed or interrupted run leaves earlier results
//! intact and no temporary files behind.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// An output directory being filled.
pub struct OutputDir {
    dir: PathBuf,
    pending: Vec<(PathBuf, PathBuf)>,
}

impl OutputDir {
    /// Create the directory (and parents) and check it is writable, before any simulation.
    pub fn prepare(dir: &Path) -> Result<OutputDir> {
        let fail = |source| Error::Output {
            path: dir.to_path_buf(),
            source,
        };
        fs::create_dir_all(dir).map_err(fail)?;
        let probe = dir.join(format!(".seatsim-probe-{}", std::process::id()));
        fs::write(&probe, b"").map_err(fail)?;
        let _ = fs::remove_file(&probe);
        Ok(OutputDir {
            dir: dir.to_path_buf(),
            pending: Vec::new(),
        })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Temporary path for `name` (relative to the directory), registered for commit.
    pub fn temp_path(&mut self, name: &str) -> Result<PathBuf> {
        let target = self.dir.join(name);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|source| Error::Output {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let file = target
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default();
        let temp = target.with_file_name(format!(".{file}.tmp-{}", std::process::id()));
        self.pending.push((temp.clone(), target));
        Ok(temp)
    }

    /// Stage `bytes` as `name`; nothing is visible until [`OutputDir::commit`].
    pub fn stage(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        let temp = self.temp_path(name)?;
        let write = || -> std::io::Result<()> {
            let mut f = fs::File::create(&temp)?;
            f.write_all(bytes)?;
            f.sync_all()
        };
        write().map_err(|source| Error::Output { path: temp, source })
    }

    /// Rename every staged file into place.
    pub fn commit(mut self) -> Result<Vec<PathBuf>> {
        // A target that cannot be replaced (a directory of that name) would fail its rename
        // half-way through; find it before anything is renamed, so no run is half-written.
        for (_, target) in &self.pending {
            if target.is_dir() {
                return Err(Error::Output {
                    path: target.clone(),
                    source: std::io::Error::other("a directory is in the way of this output file"),
                });
            }
        }
        let pending = std::mem::take(&mut self.pending);
        let mut done = Vec::new();
        for (temp, target) in pending {
            fs::rename(&temp, &target).map_err(|source| Error::Output {
                path: target.clone(),
                source,
            })?;
            done.push(target);
        }
        Ok(done)
    }
}

impl Drop for OutputDir {
    /// Anything still staged belongs to a run that did not finish: remove it.
    fn drop(&mut self) {
        for (temp, _) in &self.pending {
            let _ = fs::remove_file(temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn dropped_output_leaves_earlier_files_and_no_temporaries() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let mut out = OutputDir::prepare(&dir).unwrap();
        out.stage("a.csv", b"old").unwrap();
        out.commit().unwrap();
        let mut out = OutputDir::prepare(&dir).unwrap();
        out.stage("a.csv", b"new").unwrap();
        out.stage("b.csv", b"new").unwrap();
        drop(out);
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"old");
        assert_eq!(listing(&dir), vec!["a.csv".to_string()]);
    }

    #[test]
    fn a_blocked_target_fails_before_any_rename() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let mut out = OutputDir::prepare(&dir).unwrap();
        out.stage("a.csv", b"old").unwrap();
        out.commit().unwrap();
        fs::create_dir(dir.join("b.csv")).unwrap();
        let mut out = OutputDir::prepare(&dir).unwrap();
        out.stage("a.csv", b"new").unwrap();
        out.stage("b.csv", b"new").unwrap();
        let err = out.commit().unwrap_err();
        assert!(err.to_string().contains("b.csv"), "{err}");
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"old");
        assert_eq!(
            listing(&dir),
            vec!["a.csv".to_string(), "b.csv".to_string()]
        );
    }

    #[test]
    fn an_out_dir_under_a_regular_file_fails_at_prepare() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("file");
        fs::write(&file, b"x").unwrap();
        let err = OutputDir::prepare(&file.join("out")).err().unwrap();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("file/out"), "{err}");
    }
}

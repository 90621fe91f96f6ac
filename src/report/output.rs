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

//! Errors a user can act on: each names the file, where in it, the field, and what is allowed.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in an input a problem sits, so the user can go straight to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A line of a TOML or CSV file (1-based).
    Line(usize),
    /// A CSV data line, with the district id when it could be read.
    Row {
        /// 1-based line in the file.
        line: usize,
        /// The row's district id, if readable.
        district: Option<String>,
    },
    /// A value given on the command line with `--set`.
    SetFlag(String),
    /// The file as a whole.
    File,
}

/// A problem with the user's input: exit code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The file (or flag source) the problem is in.
    pub file: PathBuf,
    /// Where in it.
    pub location: Location,
    /// The key (TOML) or column (CSV); empty when the whole file is at fault.
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl InputError {
    /// A problem with a whole file.
    pub fn file(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self {
            file: file.as_ref().to_path_buf(),
            location: Location::File,
            field: String::new(),
            message: message.into(),
        }
    }

    /// A problem in a CSV row, naming its line and (when not blank) its id.
    pub fn in_row(
        file: impl AsRef<Path>,
        line: usize,
        id: &str,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        let district = (!id.is_empty()).then(|| id.to_string());
        Self::at(file, Location::Row { line, district }, field, message)
    }

    /// A problem at a known place of a file.
    pub fn at(
        file: impl AsRef<Path>,
        location: Location,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.as_ref().to_path_buf(),
            location,
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        match &self.location {
            Location::Line(line) => write!(f, " line {line}")?,
            Location::Row {
                line,
                district: Some(d),
            } => write!(f, " line {line} (district {d})")?,
            Location::Row {
                line,
                district: None,
            } => write!(f, " line {line}")?,
            Location::SetFlag(flag) => write!(f, " (--set {flag})")?,
            Location::File => {}
        }
        if self.field.is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ", `{}`: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for InputError {}

/// Every failure seatsim reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad scenario, table, flag or partial-result file.
    #[error("{0}")]
    Input(#[from] InputError),
    /// A bad command-line value that is not tied to a file.
    #[error("{0}")]
    Usage(String),
    /// Results could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Output {
        /// The file or directory that could not be written.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The run was interrupted (Ctrl-C) before it finished; nothing was written.
    #[error("interrupted: no output was written, earlier results are intact")]
    Interrupted,
    /// A failure inside seatsim (a bug or the environment), not the user's input.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// ripgrep's convention: 2 for anything the user can fix in their input, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) | Error::Usage(_) | Error::Output { .. } => 2,
            Error::Interrupted => 130,
            Error::Internal(_) => 1,
        }
    }
}

/// Shorthand used across the crate.
pub type Result<T> = std::result::Result<T, Error>;

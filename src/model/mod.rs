//! The model of MODEL.md, one file per step. Each function is the formula and nothing
//! else, so a reader can check it against the page; the engine strings them together.

pub mod exp;
pub mod fraud;
pub mod inversion;
pub mod recount;
pub mod rerun;
pub mod tally;
pub mod turnout;
pub mod votes;

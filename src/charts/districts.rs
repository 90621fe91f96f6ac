//! Placeholder.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{self, ChartResult, Theme};
use crate::report::Summary;

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Summary,
    theme: &Theme,
) -> ChartResult<()> {
    style::frame(root, theme, s, "todo", "")?;
    Ok(())
}

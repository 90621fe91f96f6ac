//! Finds the line of a dotted key in a TOML text, so semantic errors can point at it.

/// The header of the table a line opens (`[a.b]` → `a.b`, `[[party]]` → `party`), if any.
fn header(line: &str) -> Option<String> {
    let t = line.trim();
    let inner = t
        .strip_prefix("[[")
        .and_then(|s| s.split("]]").next())
        .or_else(|| t.strip_prefix('[').and_then(|s| s.split(']').next()))?;
    Some(
        inner
            .split('.')
            .map(|p| p.trim().trim_matches('"'))
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// The key a `key = value` line sets (possibly dotted), if any.
fn assigned_key(line: &str) -> Option<String> {
    let t = line.trim();
    if t.starts_with('#') || t.starts_with('[') {
        return None;
    }
    let (key, _) = t.split_once('=')?;
    Some(
        key.split('.')
            .map(|p| p.trim().trim_matches('"'))
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// 1-based line where `path` (e.g. `rerun.annul.extreme`) is set, or its closest enclosing
/// key or table.
pub fn key_line(text: &str, path: &str) -> Option<usize> {
    let parts: Vec<&str> = path.split('.').collect();
    // Try the full path first, then ever shorter prefixes (an inline table's line).
    for len in (1..=parts.len()).rev() {
        let target = parts[..len].join(".");
        let mut table = String::new();
        for (i, line) in text.lines().enumerate() {
            if let Some(h) = header(line) {
                if h == target {
                    return Some(i + 1);
                }
                table = h;
                continue;
            }
            if let Some(k) = assigned_key(line) {
                let full = if table.is_empty() {
                    k
                } else {
                    format!("{table}.{k}")
                };
                if full == target {
                    return Some(i + 1);
                }
            }
        }
    }
    None
}

/// The dotted key a 1-based `line` sets or opens, with its enclosing table
/// (`extreme = 0.1` under `[fraud]` → `fraud.extreme`), so a parser's error can name it.
pub fn key_at_line(text: &str, line: usize) -> Option<String> {
    let mut table = String::new();
    for (i, l) in text.lines().enumerate() {
        if let Some(h) = header(l) {
            table = h;
            if i + 1 == line {
                return Some(table);
            }
            continue;
        }
        if i + 1 == line {
            let k = assigned_key(l)?;
            return Some(if table.is_empty() {
                k
            } else {
                format!("{table}.{k}")
            });
        }
    }
    None
}

/// 1-based line of the `index`-th `[[party]]` header (0-based index).
pub fn party_line(text: &str, index: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim().starts_with("[[party]]"))
        .nth(index)
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "name = \"x\"\n[fraud]\nextreme = 0.1\n[rerun]\nannul = { clean = 0.0 }\n[rerun.turnout]\nshift_pp = -10\n[[party]]\nid = \"A\"\n[[party]]\nid = \"B\"\n";

    #[test]
    fn finds_keys_tables_and_inline_tables() {
        assert_eq!(key_line(TEXT, "name"), Some(1));
        assert_eq!(key_line(TEXT, "fraud.extreme"), Some(3));
        assert_eq!(key_line(TEXT, "rerun.annul.clean"), Some(5));
        assert_eq!(key_line(TEXT, "rerun.turnout.shift_pp"), Some(7));
        assert_eq!(key_line(TEXT, "rerun.turnout.marginal"), Some(6));
        assert_eq!(key_line(TEXT, "validity.min_turnout"), None);
        assert_eq!(party_line(TEXT, 1), Some(10));
        assert_eq!(key_at_line(TEXT, 3).as_deref(), Some("fraud.extreme"));
        assert_eq!(key_at_line(TEXT, 1).as_deref(), Some("name"));
        assert_eq!(key_at_line(TEXT, 6).as_deref(), Some("rerun.turnout"));
        assert_eq!(key_at_line(TEXT, 99), None);
    }
}

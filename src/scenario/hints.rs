//! "Did you mean" suggestions and plain-language rewrites of serde's messages.
//!
//! Students type keys from memory and tables come from spreadsheets, so most bad input is a
//! near miss of something valid: naming the closest valid word fixes it in one step.

/// The candidate closest to `word`, if it is close enough to be a plausible typo.
///
/// Case-insensitive equality wins outright (`Electorate` → `electorate`); otherwise the
/// Damerau–Levenshtein distance must be at most a third of the word's length (at least 1),
/// which catches one or two slips without proposing unrelated words.
pub fn suggest<'a, I, S>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a S>,
    S: AsRef<str> + ?Sized + 'a,
{
    let w = word.trim().to_lowercase();
    if w.is_empty() {
        return None;
    }
    let limit = (w.chars().count() / 3).max(1);
    let mut best: Option<(usize, String)> = None;
    for c in candidates {
        let c = c.as_ref();
        let lc = c.to_lowercase();
        if lc == w && c != word {
            return Some(c.to_string());
        }
        if c == word {
            continue;
        }
        let d = strsim::damerau_levenshtein(&w, &lc);
        // A word that merely starts or ends the candidate (`stuffing` → `stuffing_sd`) also counts.
        let d =
            if lc.len() > w.len() + 1 && w.len() >= 4 && (lc.starts_with(&w) || lc.ends_with(&w)) {
                d.min(limit)
            } else {
                d
            };
        // One- and two-letter ids are all within one edit of each other: there, only a
        // candidate that contains the word or is contained in it (`BB`, `02`) is a hint.
        let related = w.chars().count() > 2 || lc.contains(&w) || w.contains(&lc);
        if related && d <= limit && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
            best = Some((d, c.to_string()));
        }
    }
    best.map(|(_, c)| c)
}

/// ` (did you mean `x`?)`, or nothing when no candidate is close.
pub fn did_you_mean<'a, I, S>(word: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a S>,
    S: AsRef<str> + ?Sized + 'a,
{
    suggest(word, candidates)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

/// The back-quoted words of a serde message after `marker`, e.g. the expected keys of
/// "unknown field `x`, expected one of `a`, `b`".
fn quoted(text: &str) -> Vec<String> {
    text.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect()
}

/// What serde calls a type, in words a scenario author knows.
fn type_words(msg: &str) -> String {
    [
        ("expected f64", "expected a number (e.g. 0.1)"),
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number, 0 or more"),
        ("expected a boolean", "expected true or false"),
        (
            "expected a sequence",
            "expected a list like [\"9\", \"38\"]",
        ),
        ("expected a string", "expected a quoted string"),
        ("expected a map", "expected a table"),
        ("expected struct ", "expected a table "),
    ]
    .iter()
    .fold(msg.to_string(), |m, (from, to)| m.replace(from, to))
}

/// Allowed values of the scenario keys that take a fixed set of words.
pub fn enum_values(key: &str) -> Option<&'static [&'static str]> {
    match key.rsplit('.').next().unwrap_or(key) {
        "baseline" => Some(&["intention", "official"]),
        "shares" => Some(&["fraction", "votes"]),
        "seat_rule" => Some(&["plurality"]),
        _ => None,
    }
}

/// A serde/TOML message rewritten with a suggestion and plain type names. `key` is the
/// scenario key the message is about, when known.
pub fn explain(msg: &str, key: Option<&str>) -> String {
    let msg = msg.trim_end();
    if let Some(rest) = msg
        .strip_prefix("unknown field ")
        .or_else(|| msg.strip_prefix("unknown variant "))
    {
        let words = quoted(rest);
        if let Some((got, expected)) = words.split_first() {
            let hint = did_you_mean(got, expected);
            let what = if msg.starts_with("unknown field") {
                "is not a key here; allowed keys are"
            } else {
                "is not an allowed value; use"
            };
            let list = expected
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ");
            return format!("`{got}` {what} {list}{hint}");
        }
    }
    if let Some(rest) = msg.strip_prefix("missing field ") {
        if let Some(field) = quoted(rest).first() {
            return format!("the required key `{field}` is missing");
        }
    }
    if let Some(values) = key.and_then(enum_values) {
        if msg.contains("wanted string") || msg.contains("invalid type") {
            let list = values
                .iter()
                .map(|v| format!("\"{v}\""))
                .collect::<Vec<_>>()
                .join(" or ");
            return format!("expected {list}");
        }
    }
    type_words(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let keys = ["incremental", "extreme", "extreme_mean", "beneficiary"];
        assert_eq!(suggest("extrem", &keys), Some("extreme".into()));
        assert_eq!(suggest("benificiary", &keys), Some("beneficiary".into()));
        assert_eq!(suggest("Extreme", &keys), Some("extreme".into()));
        assert_eq!(suggest("turnout", &keys), None);
        assert_eq!(suggest("", &keys), None);
        assert_eq!(suggest("B", &["A", "BB", "C"]), Some("BB".into()));
        assert_eq!(suggest("B", &["A", "C"]), None);
        assert_eq!(suggest("02", &["1", "2", "3"]), Some("2".into()));
        assert_eq!(
            suggest("distrcit", &["district", "name"]),
            Some("district".into())
        );
    }

    #[test]
    fn explains_serde_messages() {
        let m = explain(
            "unknown field `extrem`, expected one of `incremental`, `extreme`",
            None,
        );
        assert!(m.contains("did you mean `extreme`?"), "{m}");
        assert!(
            m.contains("allowed keys are `incremental`, `extreme`"),
            "{m}"
        );
        let m = explain(
            "unknown variant `intentoin`, expected `intention` or `official`",
            None,
        );
        assert!(m.contains("did you mean `intention`?"), "{m}");
        assert_eq!(
            explain("wanted string or table", Some("shares")),
            "expected \"fraction\" or \"votes\""
        );
        assert!(explain("invalid type: string \"a\", expected f64", None).contains("a number"));
        assert_eq!(
            explain("missing field `name`", None),
            "the required key `name` is missing"
        );
    }
}

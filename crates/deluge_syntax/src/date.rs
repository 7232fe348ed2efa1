//! Classifying single-quoted literals: Deluge documents `'15-Aug-1947 19:00:00'` as a
//! date-time, while real code uses `'...'` for ordinary strings (reference §1.4).

/// Whether `text` reads as a date, a date-time or a time in one of Deluge's literal formats:
/// `dd-MMM-yyyy`, `dd-MM-yy`, `yyyy-MM-dd`, `MM/dd/yyyy`, ..., each with an optional
/// ` HH:mm[:ss]`, or a bare `HH:mm[:ss]`.
pub fn looks_like_date_time(text: &str) -> bool {
    let text = text.trim();
    match text.split_once(' ') {
        Some((date, time)) => is_date(date) && is_time(time.trim_start()),
        None => is_date(text) || is_time(text),
    }
}

fn is_date(text: &str) -> bool {
    let separator = if text.contains('-') { '-' } else { '/' };
    let parts: Vec<&str> = text.split(separator).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        return false;
    }
    let digits = |p: &str, max: usize| p.len() <= max && p.bytes().all(|b| b.is_ascii_digit());
    let month_name = |p: &str| (3..=9).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic());
    let year = |p: &str| (p.len() == 2 || p.len() == 4) && digits(p, 4);
    (digits(parts[0], 4) && (digits(parts[1], 2) || month_name(parts[1])) && digits(parts[2], 4))
        && (year(parts[0]) || year(parts[2]))
}

fn is_time(text: &str) -> bool {
    let parts: Vec<&str> = text.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::looks_like_date_time;

    #[test]
    fn documented_formats_are_dates() {
        for text in [
            "15-Aug-1947",
            "15-Aug-1947 19:00:00",
            "08-15-47",
            "1947-08-15",
            "15-August-47",
            "19:00",
            "01/02/2020 10:30",
        ] {
            assert!(looks_like_date_time(text), "{text}");
        }
    }

    #[test]
    fn ordinary_strings_are_not_dates() {
        for text in [
            "status",
            "",
            "Failed",
            "<ZohoCreator>",
            "a-b-c",
            "10-20",
            "12:30 pm today",
        ] {
            assert!(!looks_like_date_time(text), "{text}");
        }
    }
}

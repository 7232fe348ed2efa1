//! The summary's chart: one horizontal bar per Zoho service, its calls stacked by status
//! (fails with a fix, fails with a manual migration, works). Inline SVG, no script. Each
//! status has its own fill pattern as well as its colour, and every bar ends with its
//! numbers in words, so the chart reads in grey scale and on paper.

use std::fmt::Write as _;

use crate::render::audit::ServiceRow;
use crate::render::xml_escape as escape;

/// The drawing's width in user units; the SVG scales to the page.
const WIDTH: u32 = 720;
/// Where bars start (service names sit left of it).
const BARS_X: u32 = 220;
/// The longest bar; the rest of the width holds the numbers.
const BAR_MAX: u32 = 280;
const ROW_HEIGHT: u32 = 30;
const BAR_HEIGHT: u32 = 18;
/// Space above the first bar, for the legend.
const TOP: u32 = 36;

/// The three statuses: their CSS-free fill, the legend's words, and the words after a count.
const SEGMENTS: [(&str, &str, &str); 3] = [
    ("url(#chart-fixable)", "fails today: fix available", "with a fix"),
    ("url(#chart-manual)", "fails today: migrate by hand", "by hand"),
    ("url(#chart-works)", "works", "work"),
];

const PATTERNS: &str = "<defs>\
<pattern id=\"chart-fixable\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
<rect width=\"6\" height=\"6\" fill=\"#f5d48a\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#7d4e00\" stroke-width=\"2\"/></pattern>\
<pattern id=\"chart-manual\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\">\
<rect width=\"4\" height=\"4\" fill=\"#82071e\"/></pattern>\
<pattern id=\"chart-works\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">\
<rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><circle cx=\"3\" cy=\"3\" r=\"1\" fill=\"#1a7f37\"/></pattern>\
</defs>";

pub fn write(page: &mut String, rows: &[ServiceRow]) {
    let height = TOP + ROW_HEIGHT * rows.len() as u32 + 6;
    let _ = write!(
        page,
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-title\" viewBox=\"0 0 {WIDTH} {height}\" \
         xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui, sans-serif\" font-size=\"13\">\
         <title id=\"chart-title\">Calls per Zoho service, by status</title>{PATTERNS}"
    );
    legend(page);
    let most = rows.iter().map(|r| r.counts.calls()).max().unwrap_or(0).max(1);
    for (i, row) in rows.iter().enumerate() {
        bar(page, row, most, TOP + ROW_HEIGHT * i as u32);
    }
    page.push_str("</svg>\n");
}

fn legend(page: &mut String) {
    let mut x = 0;
    for (fill, words, _) in SEGMENTS {
        let _ = write!(
            page,
            "<rect x=\"{x}\" y=\"6\" width=\"16\" height=\"14\" fill=\"{fill}\" stroke=\"#1f2328\" stroke-width=\".8\"/>\
             <text x=\"{}\" y=\"18\">{}</text>",
            x + 22,
            escape(words)
        );
        x += 22 + 8 * words.len() as u32 + 24;
    }
}

fn bar(page: &mut String, row: &ServiceRow, most: usize, y: u32) {
    let counts = [row.counts.fixable, row.counts.manual, row.counts.works];
    let _ = write!(
        page,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
        BARS_X - 10,
        y + BAR_HEIGHT - 4,
        escape(row.name)
    );
    let mut x = BARS_X as f64;
    for (count, (fill, _, _)) in counts.iter().zip(SEGMENTS) {
        if *count == 0 {
            continue;
        }
        // A segment of one call stays visible next to a service with hundreds.
        let width = (*count as f64 / most as f64 * BAR_MAX as f64).max(3.0);
        let _ = write!(
            page,
            "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{width:.1}\" height=\"{BAR_HEIGHT}\" fill=\"{fill}\" stroke=\"#1f2328\" stroke-width=\".8\"/>"
        );
        x += width;
    }
    let words: Vec<String> = counts
        .iter()
        .zip(SEGMENTS)
        .filter(|(count, _)| **count > 0)
        .map(|(count, (_, _, after))| format!("{count} {after}"))
        .collect();
    let _ = write!(
        page,
        "<text x=\"{:.1}\" y=\"{}\" fill=\"#1f2328\">{}</text>",
        x + 8.0,
        y + BAR_HEIGHT - 4,
        escape(&words.join(" · "))
    );
}

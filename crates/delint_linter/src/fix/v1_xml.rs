//! Reading the one-row `xmlData` of a CRM v1 `insertRecords`/`updateRecords` call
//! (`<Leads><row no="1"><FL val="Last Name">..</FL></row></Leads>`, its text possibly
//! interrupted by concatenated operands) as the record map an integration task takes, and
//! writing parameter values back as Deluge expressions.

use super::query::ValuePart;

/// A record map written from v1 XML, and the labels it renamed.
pub(super) struct RecordMap {
    /// `{"Last_Name": name, "Email": "a@b.c"}`.
    pub(super) map: String,
    /// `` `Last Name` → `Last_Name` ``, one per field.
    pub(super) renamed: Vec<String>,
}

/// v1 labels whose API name is not the label with `_` for spaces.
const RENAMED_LABELS: &[(&str, &str)] = &[
    ("SMOWNERID", "Owner"),
    ("Lead Owner", "Owner"),
    ("Contact Owner", "Owner"),
    ("Account Owner", "Owner"),
    ("Deal Owner", "Owner"),
    ("Potential Owner", "Owner"),
    ("Potential Name", "Deal_Name"),
    ("Potential Stage", "Stage"),
];

/// `<Module><row no="1"><FL val="Label">value</FL>..</row></Module>` as a map literal; one
/// row only (several would be `bulkCreate`), values literal or concatenated.
pub(super) fn record_map(source: &str, xml: &[ValuePart], module: &str) -> Result<RecordMap, String> {
    let mut cursor = XmlCursor {
        parts: xml,
        at: 0,
        offset: 0,
    };
    cursor.skip_space();
    let open = cursor.tag().ok_or("the XML does not start with the module's tag")?;
    if !(open.eq_ignore_ascii_case(module) || open.eq_ignore_ascii_case("Potentials") && module == "Deals") {
        return Err(format!("the XML is for `{open}`, not `{module}`"));
    }
    cursor.skip_space();
    let row = cursor.tag().ok_or("the XML has no `row`")?;
    if !row.starts_with("row") {
        return Err("the XML has no `row`".to_owned());
    }
    let mut entries = Vec::new();
    let mut renamed = Vec::new();
    loop {
        cursor.skip_space();
        let tag = cursor.tag().ok_or("the XML is cut short")?;
        if tag == "/row" {
            break;
        }
        let label = tag
            .strip_prefix("FL val=\"")
            .and_then(|rest| rest.strip_suffix('"'))
            .ok_or("the XML holds something other than `FL` fields")?;
        let value = cursor.value_until("</FL>").ok_or("an `FL` field is not closed")?;
        let api_name = RENAMED_LABELS
            .iter()
            .find(|(v1, _)| v1.eq_ignore_ascii_case(label))
            .map_or_else(|| label.trim().replace(' ', "_"), |(_, api)| (*api).to_owned());
        renamed.push(format!("`{label}` → `{api_name}`"));
        entries.push(format!("{}: {}", quoted(&api_name), expression(source, &value)));
    }
    cursor.skip_space();
    if cursor.tag().is_none_or(|close| !close.starts_with('/')) {
        return Err("the XML holds more than one row".to_owned());
    }
    cursor.skip_space();
    if !cursor.at_end() {
        return Err("the XML goes on after the module's closing tag".to_owned());
    }
    if entries.is_empty() {
        return Err("the XML sets no field".to_owned());
    }
    Ok(RecordMap {
        map: format!("{{{}}}", entries.join(", ")),
        renamed,
    })
}

/// A Deluge expression for a value's parts: a literal, an operand, or their concatenation.
pub(super) fn expression(source: &str, parts: &[ValuePart]) -> String {
    let rendered: Vec<String> = parts
        .iter()
        .map(|part| match part {
            ValuePart::Text(text) => quoted(&xml_unescaped(text)),
            ValuePart::Operand(range) => source[*range].to_owned(),
        })
        .collect();
    match rendered.as_slice() {
        [] => "\"\"".to_owned(),
        _ => rendered.join(" + "),
    }
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` decoded; a CDATA section unwrapped.
fn xml_unescaped(text: &str) -> String {
    let text = text
        .strip_prefix("<![CDATA[")
        .and_then(|t| t.strip_suffix("]]>"))
        .unwrap_or(text);
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// A reader over XML whose text may be interrupted by operands (which only field values
/// may hold).
struct XmlCursor<'p> {
    parts: &'p [ValuePart],
    /// The part being read.
    at: usize,
    /// The byte offset in that part, when it is text.
    offset: usize,
}

impl XmlCursor<'_> {
    fn text(&self) -> Option<&str> {
        match self.parts.get(self.at)? {
            ValuePart::Text(text) => Some(&text[self.offset..]),
            ValuePart::Operand(_) => None,
        }
    }

    fn advance(&mut self, bytes: usize) {
        self.offset += bytes;
        if let Some(ValuePart::Text(text)) = self.parts.get(self.at)
            && self.offset >= text.len()
        {
            self.at += 1;
            self.offset = 0;
        }
    }

    fn at_end(&self) -> bool {
        self.at >= self.parts.len()
    }

    fn skip_space(&mut self) {
        while let Some(text) = self.text() {
            let trimmed = text.trim_start().len();
            if trimmed == text.len() {
                return;
            }
            self.advance(text.len() - trimmed);
        }
    }

    /// `<name attrs>` in literal text: its inside.
    fn tag(&mut self) -> Option<String> {
        let text = self.text()?;
        let rest = text.strip_prefix('<')?;
        let end = rest.find('>')?;
        let inside = rest[..end].trim().to_owned();
        self.advance(end + 2);
        Some(inside)
    }

    /// The parts up to `close` (which must be in literal text), and past it.
    fn value_until(&mut self, close: &str) -> Option<Vec<ValuePart>> {
        let mut value = Vec::new();
        loop {
            match self.parts.get(self.at)? {
                ValuePart::Operand(range) => {
                    value.push(ValuePart::Operand(*range));
                    self.at += 1;
                    self.offset = 0;
                }
                ValuePart::Text(_) => {
                    let text = self.text()?;
                    match text.find(close) {
                        Some(end) => {
                            if end > 0 {
                                value.push(ValuePart::Text(text[..end].to_owned()));
                            }
                            self.advance(end + close.len());
                            return Some(value);
                        }
                        None => {
                            value.push(ValuePart::Text(text.to_owned()));
                            self.advance(text.len());
                        }
                    }
                }
            }
        }
    }
}

/// A Deluge string literal holding `text`.
pub(super) fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

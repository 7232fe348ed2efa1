//! Reading the `xmlData` of a CRM v1 write (`<Leads><row no="1"><FL val="Last Name">..</FL></row></Leads>`,
//! its text possibly interrupted by concatenated operands) as the record maps an
//! integration task takes, and writing parameter values back as Deluge expressions.

use super::query::ValuePart;

/// A record map written from v1 XML, and the labels it renamed.
pub(super) struct RecordMap {
    /// `{"Last_Name": name, "Email": "a@b.c"}`.
    pub(super) map: String,
    /// `` `Last Name` → `Last_Name` ``, one per field.
    pub(super) renamed: Vec<String>,
}

/// One `<row>` of v1 XML: its `<FL val="Label">` fields and `<option val="name">` options,
/// in order.
pub(super) struct Row {
    pub(super) fields: Vec<(String, Vec<ValuePart>)>,
    pub(super) options: Vec<(String, Vec<ValuePart>)>,
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
    ("member_status", "Member_Status"),
];

/// The v2 API name of a v1 field label: a record's own id (`LEADID`, `CONTACTID`,
/// `POTENTIALID`, ...) is `id`; owners and the renamed Potential fields have fixed names;
/// any other label is taken with `_` for its spaces.
pub(super) fn api_name(label: &str) -> String {
    let label = label.trim();
    if is_record_id_label(label) {
        return "id".to_owned();
    }
    RENAMED_LABELS
        .iter()
        .find(|(v1, _)| v1.eq_ignore_ascii_case(label))
        .map_or_else(|| label.replace(' ', "_"), |(_, api)| (*api).to_owned())
}

/// `LEADID`, `CONTACTID`, `ACCOUNTID`, `POTENTIALID`, `PRODUCTID`, ...: v1's upper-case
/// name for a record's id (`SMOWNERID` is the owner's).
pub(super) fn is_record_id_label(label: &str) -> bool {
    label.len() > 2
        && label.ends_with("ID")
        && label.bytes().all(|b| b.is_ascii_uppercase())
        && !label.eq_ignore_ascii_case("SMOWNERID")
}

/// `<Module><row no="1"><FL val="Label">value</FL>..</row></Module>` as a map literal; one
/// row only (several would be `bulkCreate`), values literal or concatenated.
pub(super) fn record_map(source: &str, xml: &[ValuePart], module: &str) -> Result<RecordMap, String> {
    let rows = rows(xml, module)?;
    let [row] = rows.as_slice() else {
        return Err("the XML holds more than one row".to_owned());
    };
    if !row.options.is_empty() {
        return Err("the XML holds `option` elements".to_owned());
    }
    fields_map(source, &row.fields)
}

/// The fields as a map literal of API names, with the renames made.
pub(super) fn fields_map(source: &str, fields: &[(String, Vec<ValuePart>)]) -> Result<RecordMap, String> {
    if fields.is_empty() {
        return Err("the XML sets no field".to_owned());
    }
    let mut entries = Vec::new();
    let mut renamed = Vec::new();
    for (label, value) in fields {
        let api_name = api_name(label);
        renamed.push(format!("`{label}` → `{api_name}`"));
        entries.push(format!("{}: {}", quoted(&api_name), expression(source, value)));
    }
    Ok(RecordMap {
        map: format!("{{{}}}", entries.join(", ")),
        renamed,
    })
}

/// The rows of `<Module><row no="1">..</row>..</Module>`, the module's tag checked against
/// `module` (v1 `Potentials` is v2 `Deals`).
pub(super) fn rows(xml: &[ValuePart], module: &str) -> Result<Vec<Row>, String> {
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
    let mut rows = Vec::new();
    loop {
        cursor.skip_space();
        let tag = cursor.tag().ok_or("the XML is cut short")?;
        if tag.starts_with('/') {
            break;
        }
        if !tag.starts_with("row") {
            return Err("the XML has no `row`".to_owned());
        }
        rows.push(row(&mut cursor)?);
    }
    cursor.skip_space();
    if !cursor.at_end() {
        return Err("the XML goes on after the module's closing tag".to_owned());
    }
    if rows.is_empty() {
        return Err("the XML has no `row`".to_owned());
    }
    Ok(rows)
}

/// The elements of a row, up to its `</row>`.
fn row(cursor: &mut XmlCursor) -> Result<Row, String> {
    let mut row = Row {
        fields: Vec::new(),
        options: Vec::new(),
    };
    loop {
        cursor.skip_space();
        let tag = cursor.tag().ok_or("the XML is cut short")?;
        if tag == "/row" {
            return Ok(row);
        }
        let (element, close, into) = if let Some(rest) = tag.strip_prefix("FL val=\"") {
            (rest, "</FL>", &mut row.fields)
        } else if let Some(rest) = tag.strip_prefix("option val=\"") {
            (rest, "</option>", &mut row.options)
        } else {
            return Err("the XML holds something other than `FL` fields".to_owned());
        };
        let name = element.strip_suffix('"').ok_or("an XML attribute is not closed")?;
        let value = cursor.value_until(close).ok_or("an XML element is not closed")?;
        into.push((name.to_owned(), value));
    }
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

/// One record added by a Creator v1 `/api/xml/write` `XMLString`.
pub(super) struct CreatorWrite {
    pub(super) app: String,
    pub(super) form: String,
    /// `{"Field": value, ..}`.
    pub(super) values: String,
}

/// `<ZohoCreator><applicationlist><application name="app"><formlist><form name="Form"><add>
/// <field name="F"><value>v</value></field>..</add></form></formlist></application></applicationlist></ZohoCreator>`:
/// one application, one form, one `add`; values literal or concatenated.
pub(super) fn creator_write(source: &str, xml: &[ValuePart]) -> Result<CreatorWrite, String> {
    let mut cursor = XmlCursor {
        parts: xml,
        at: 0,
        offset: 0,
    };
    let expect = |cursor: &mut XmlCursor, element: &str| -> Result<String, String> {
        cursor.skip_space();
        let tag = cursor
            .tag()
            .ok_or_else(|| format!("the XML has no `{element}` where one belongs"))?;
        let (name, attributes) = tag.split_once(char::is_whitespace).unwrap_or((&tag, ""));
        if !name.eq_ignore_ascii_case(element) {
            return Err(format!(
                "the XML has `{name}` where `{element}` belongs: only one record added to one form is migrated"
            ));
        }
        Ok(attribute(attributes, "name").unwrap_or_default())
    };
    expect(&mut cursor, "ZohoCreator")?;
    expect(&mut cursor, "applicationlist")?;
    let app = expect(&mut cursor, "application")?;
    expect(&mut cursor, "formlist")?;
    let form = expect(&mut cursor, "form")?;
    expect(&mut cursor, "add")?;
    if app.is_empty() || form.is_empty() {
        return Err("the XML does not name its application and form".to_owned());
    }
    let mut entries = Vec::new();
    loop {
        cursor.skip_space();
        let tag = cursor.tag().ok_or("the XML is cut short")?;
        if tag.eq_ignore_ascii_case("/add") {
            break;
        }
        let field = tag
            .strip_prefix("field")
            .and_then(|attributes| attribute(attributes, "name"))
            .ok_or("the XML holds something other than `field`s in its `add`")?;
        cursor.skip_space();
        if !cursor.tag().is_some_and(|t| t.eq_ignore_ascii_case("value")) {
            return Err(format!("the field `{field}` has no `value`"));
        }
        let value = cursor.value_until("</value>").ok_or("a `value` is not closed")?;
        cursor.skip_space();
        if !cursor.tag().is_some_and(|t| t.eq_ignore_ascii_case("/field")) {
            return Err(format!("the field `{field}` holds more than one value"));
        }
        entries.push(format!("{}: {}", quoted(&field), expression(source, &value)));
    }
    for close in ["/form", "/formlist", "/application", "/applicationlist", "/ZohoCreator"] {
        cursor.skip_space();
        if !cursor.tag().is_some_and(|t| t.eq_ignore_ascii_case(close)) {
            return Err("the XML writes more than one record or form".to_owned());
        }
    }
    cursor.skip_space();
    if !cursor.at_end() || entries.is_empty() {
        return Err("the XML writes no field, or goes on after its end".to_owned());
    }
    Ok(CreatorWrite {
        app,
        form,
        values: format!("{{{}}}", entries.join(", ")),
    })
}

/// The value of `name="..."` (or `'...'`) among a tag's attributes.
fn attribute(attributes: &str, name: &str) -> Option<String> {
    let at = attributes.find(name)?;
    let rest = attributes[at + name.len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_owned())
}

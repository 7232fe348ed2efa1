//! Which rules run: selectors (`DL001`, `DL00`, `authtoken-in-url`, `correctness`, `ALL`)
//! as written in `select`/`ignore`, and the set of rules they resolve to.

use std::fmt;
use std::str::FromStr;

use crate::rule::{Category, RuleMeta};
use crate::rules::ALL;

/// One entry of `select` or `ignore`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleSelector {
    /// Every rule.
    All,
    /// Every rule of a family.
    Category(Category),
    /// Every rule whose code starts with this (upper-case) prefix, e.g. `DL00`; a whole
    /// code selects one rule.
    Prefix(String),
}

impl RuleSelector {
    /// The rules this selector names.
    pub fn rules(&self) -> impl Iterator<Item = &'static RuleMeta> + '_ {
        ALL.iter().filter(move |rule| match self {
            RuleSelector::All => true,
            RuleSelector::Category(category) => rule.category == *category,
            RuleSelector::Prefix(prefix) => rule.code.starts_with(prefix.as_str()),
        })
    }
}

impl FromStr for RuleSelector {
    type Err = String;

    /// Accepts `ALL`, a category, a code or code prefix (any case), or a rule's name.
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("all") {
            return Ok(RuleSelector::All);
        }
        if let Some(category) = Category::ALL.iter().find(|c| c.as_str().eq_ignore_ascii_case(text)) {
            return Ok(RuleSelector::Category(*category));
        }
        if let Some(rule) = ALL.iter().find(|rule| rule.name == text) {
            return Ok(RuleSelector::Prefix(rule.code.to_owned()));
        }
        let upper = text.to_ascii_uppercase();
        if upper.len() > 2 && ALL.iter().any(|rule| rule.code.starts_with(&upper)) {
            return Ok(RuleSelector::Prefix(upper));
        }
        let categories: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        Err(format!(
            "unknown rule selector `{text}`: expected a rule code or prefix (`DL001`, `DL00`), a rule name (`authtoken-in-url`), a category ({}) or `ALL`",
            categories.join(", ")
        ))
    }
}

impl fmt::Display for RuleSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleSelector::All => f.write_str("ALL"),
            RuleSelector::Category(category) => f.write_str(category.as_str()),
            RuleSelector::Prefix(prefix) => f.write_str(prefix),
        }
    }
}

/// A set of rules, as bits over [`ALL`]'s indices.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RuleSet(u64);

const _: () = assert!(ALL.len() <= 64, "RuleSet holds at most 64 rules");

impl RuleSet {
    /// No rules.
    pub const EMPTY: RuleSet = RuleSet(0);

    /// Every rule.
    pub fn all() -> RuleSet {
        RuleSet(if ALL.len() == 64 {
            u64::MAX
        } else {
            (1 << ALL.len()) - 1
        })
    }

    /// What `select` minus `ignore` leaves.
    pub fn from_selectors(select: &[RuleSelector], ignore: &[RuleSelector]) -> RuleSet {
        let mut set = RuleSet::EMPTY;
        select
            .iter()
            .flat_map(RuleSelector::rules)
            .for_each(|rule| set.insert(rule));
        ignore
            .iter()
            .flat_map(RuleSelector::rules)
            .for_each(|rule| set.remove(rule));
        set
    }

    /// Whether the rule with `code` is in the set.
    pub fn contains(self, code: &str) -> bool {
        index_of(code).is_some_and(|i| self.0 & (1 << i) != 0)
    }

    /// Adds a rule.
    pub fn insert(&mut self, rule: &RuleMeta) {
        if let Some(i) = index_of(rule.code) {
            self.0 |= 1 << i;
        }
    }

    /// Removes a rule.
    pub fn remove(&mut self, rule: &RuleMeta) {
        if let Some(i) = index_of(rule.code) {
            self.0 &= !(1 << i);
        }
    }

    /// The rules in the set, in code order.
    pub fn iter(self) -> impl Iterator<Item = &'static RuleMeta> {
        ALL.iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, rule)| rule)
    }
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet::all()
    }
}

impl fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter().map(|rule| rule.code)).finish()
    }
}

fn index_of(code: &str) -> Option<usize> {
    ALL.iter().position(|rule| rule.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> RuleSelector {
        text.parse().unwrap()
    }

    fn codes(set: RuleSet) -> Vec<&'static str> {
        set.iter().map(|rule| rule.code).collect()
    }

    #[test]
    fn selectors_name_codes_prefixes_names_and_categories() {
        assert_eq!(codes(RuleSet::from_selectors(&[parse("dl001")], &[])), ["DL001"]);
        assert_eq!(
            codes(RuleSet::from_selectors(&[parse("authtoken-in-header")], &[])),
            ["DL003"]
        );
        assert_eq!(
            codes(RuleSet::from_selectors(&[parse("DL00")], &[parse("DL000")])),
            ["DL001", "DL002", "DL003"]
        );
        assert_eq!(
            codes(RuleSet::from_selectors(&[parse("DL0")], &[parse("DL00")])).len(),
            5
        );
        assert_eq!(
            codes(RuleSet::from_selectors(&[parse("suppression")], &[])),
            ["DL901", "DL902"]
        );
        assert_eq!(RuleSet::from_selectors(&[parse("ALL")], &[]), RuleSet::all());
        assert_eq!(
            codes(RuleSet::from_selectors(&[parse("deprecated"), parse("security")], &[])),
            ["DL010", "DL020", "DL021"]
        );
        assert_eq!(
            codes(RuleSet::from_selectors(&[parse("DL01")], &[])),
            ["DL010", "DL011", "DL012"]
        );
    }

    #[test]
    fn unknown_selectors_say_what_is_expected() {
        for text in ["DL999", "DL", "bogus", ""] {
            let error = text.parse::<RuleSelector>().unwrap_err();
            assert!(error.contains("unknown rule selector"), "{text}: {error}");
            assert!(error.contains("correctness"), "{error}");
        }
    }
}

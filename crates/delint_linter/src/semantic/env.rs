//! The data flow's environment: each variable's value, written in place and logged, so a
//! branch, a loop body or a `try` runs on the one map and is rolled back, handing over only
//! the variables it wrote. (A copy of the map per branch cost a pass over every variable at
//! each `if`, and joining the copies another.)

use std::rc::Rc;

use rustc_hash::FxHashSet;

use super::Value;

/// Variables' values, shared (`Rc`) with the undo log until written again.
#[derive(Default)]
pub(super) struct Env<'a> {
    vars: rustc_hash::FxHashMap<&'a str, Rc<Value>>,
    /// Since the oldest open mark, each write: the variable and its value before.
    undo: Vec<(&'a str, Option<Rc<Value>>)>,
    /// How many marks are open.
    open: usize,
}

/// Where a run that may be rolled back started (see [`Env::mark`]).
#[derive(Clone, Copy)]
pub(super) struct Mark(usize);

/// A variable a run wrote, with its value before and at the end of the run.
pub(super) struct Change<'a> {
    pub name: &'a str,
    pub before: Option<Rc<Value>>,
    pub after: Rc<Value>,
}

impl<'a> Env<'a> {
    /// An environment for a function body: room for a typical function's variables, so the
    /// map is not rehashed as they are assigned one by one.
    pub(super) fn for_function() -> Self {
        Env {
            vars: rustc_hash::FxHashMap::with_capacity_and_hasher(32, Default::default()),
            ..Env::default()
        }
    }

    pub(super) fn get(&self, name: &str) -> Option<&Rc<Value>> {
        self.vars.get(name)
    }

    pub(super) fn set(&mut self, name: &'a str, value: Rc<Value>) {
        let before = self.vars.insert(name, value);
        if self.open > 0 {
            self.undo.push((name, before));
        }
    }

    /// The variable's value, to change in place (an empty one if it has none).
    pub(super) fn modify(&mut self, name: &'a str) -> &mut Value {
        if self.open > 0 {
            self.undo.push((name, self.vars.get(name).cloned()));
        }
        Rc::make_mut(self.vars.entry(name).or_default())
    }

    /// [`Env::modify`] for a variable that has a value; `None` otherwise.
    pub(super) fn modify_existing(&mut self, name: &'a str) -> Option<&mut Value> {
        if self.vars.contains_key(name) {
            Some(self.modify(name))
        } else {
            None
        }
    }

    /// Starts a run whose writes can be rolled back or kept.
    pub(super) fn mark(&mut self) -> Mark {
        self.open += 1;
        Mark(self.undo.len())
    }

    /// The variables written since `mark`, in the order first written.
    pub(super) fn changes_since(&self, mark: Mark) -> Vec<Change<'a>> {
        let written = &self.undo[mark.0..];
        // A scan finds repeats while the run is short; a long one (thousands of writes in a
        // loop body) would make that quadratic.
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        let mut changes: Vec<Change<'a>> = Vec::new();
        for (at, (name, before)) in written.iter().enumerate() {
            let repeat = if written.len() <= 16 {
                written[..at].iter().any(|(earlier, _)| earlier == name)
            } else {
                !seen.insert(name)
            };
            if repeat {
                continue;
            }
            if let Some(after) = self.vars.get(name) {
                changes.push(Change {
                    name,
                    before: before.clone(),
                    after: after.clone(),
                });
            }
        }
        changes
    }

    /// Ends the run started at `mark`, keeping its writes (an enclosing run may still roll
    /// them back).
    pub(super) fn keep(&mut self, mark: Mark) {
        self.close(mark);
    }

    /// Ends the run started at `mark`: puts back every value it wrote and returns what it
    /// changed.
    pub(super) fn roll_back(&mut self, mark: Mark) -> Vec<Change<'a>> {
        let changes = self.changes_since(mark);
        for (name, before) in self.undo.drain(mark.0..).rev() {
            match before {
                Some(value) => self.vars.insert(name, value),
                None => self.vars.remove(name),
            };
        }
        self.close(mark);
        changes
    }

    fn close(&mut self, mark: Mark) {
        self.open -= 1;
        if self.open == 0 {
            self.undo.truncate(mark.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use deluge_syntax::TextRange;

    fn value(at: u32) -> Rc<Value> {
        Rc::new(Value::literal(TextRange::empty(at.into())))
    }

    fn names(changes: &[Change<'_>]) -> Vec<String> {
        changes.iter().map(|c| c.name.to_owned()).collect()
    }

    #[test]
    fn a_rolled_back_run_leaves_the_environment_as_it_was_and_says_what_it_wrote() {
        let mut env = Env::default();
        env.set("a", value(1));
        let mark = env.mark();
        env.set("b", value(2));
        env.set("a", value(3));
        env.modify("b").join(&value(4));
        let changes = env.roll_back(mark);
        assert_eq!(names(&changes), ["b", "a"]);
        assert_eq!(changes[1].before, Some(value(1)));
        assert_eq!(*changes[0].after, {
            let mut both = (*value(2)).clone();
            both.join(&value(4));
            both
        });
        assert_eq!(env.get("a"), Some(&value(1)));
        assert_eq!(env.get("b"), None);
    }

    #[test]
    fn writes_kept_by_an_inner_run_are_rolled_back_by_the_outer_one() {
        let mut env = Env::default();
        let outer = env.mark();
        let inner = env.mark();
        env.set("x", value(1));
        env.keep(inner);
        assert_eq!(env.get("x"), Some(&value(1)));
        assert_eq!(names(&env.roll_back(outer)), ["x"]);
        assert_eq!(env.get("x"), None);
        assert!(env.undo.is_empty() && env.open == 0);
    }

    #[test]
    fn a_long_run_lists_each_variable_once() {
        let mut env = Env::default();
        let mark = env.mark();
        let names: Vec<String> = (0..100).map(|i| format!("v{i}")).collect();
        for round in 0..3 {
            for name in &names {
                env.set(name, value(round));
            }
        }
        let changes = env.roll_back(mark);
        assert_eq!(changes.len(), 100);
        assert!(changes.iter().all(|c| c.before.is_none() && c.after == value(2)));
    }

    #[test]
    fn writes_outside_any_run_are_not_logged() {
        let mut env = Env::default();
        for i in 0..1000 {
            env.set("x", value(i));
        }
        assert!(env.undo.is_empty());
    }
}

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

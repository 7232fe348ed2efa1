//! Where a tree's nodes live: one bump allocator per parse.
//!
//! A file's tree is built at once and dropped at once, so its nodes are allocated by bumping
//! a pointer and freed with the arena in a few calls, instead of a `malloc` and a `free`
//! (and a walk to find them) per node. The tree holds plain references (`&'a Expr<'a>`,
//! `&'a [Stmt<'a>]`) and nothing in it needs dropping.

use bumpalo::Bump;

use crate::ast::Nodes;

/// The memory a parse allocates its tree in; the tree borrows it (see [`crate::parse`]).
#[derive(Default)]
pub struct Arena(Bump);

/// A growable list built in an arena, frozen into a slice of the tree.
pub(crate) type ArenaVec<'a, T> = bumpalo::collections::Vec<'a, T>;

impl Arena {
    /// An empty arena.
    pub fn new() -> Self {
        Arena::default()
    }

    /// Bytes allocated in the arena so far.
    pub fn allocated_bytes(&self) -> usize {
        self.0.allocated_bytes()
    }

    pub(crate) fn alloc<T>(&self, value: T) -> &T {
        self.0.alloc(value)
    }

    /// `items`, moved into the arena.
    pub(crate) fn slice<T>(&self, items: Vec<T>) -> Nodes<'_, T> {
        Nodes::new(self.0.alloc_slice_fill_iter(items))
    }

    pub(crate) fn vec<T>(&self) -> ArenaVec<'_, T> {
        ArenaVec::new_in(&self.0)
    }
}

impl<'a, T> From<ArenaVec<'a, T>> for Nodes<'a, T> {
    fn from(nodes: ArenaVec<'a, T>) -> Self {
        Nodes::new(nodes.into_bump_slice())
    }
}

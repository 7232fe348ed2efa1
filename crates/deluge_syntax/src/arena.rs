//! Where a tree's nodes live: one bump allocator per parse.
//!
//! A file's tree is built at once and dropped at once, so its nodes are allocated by bumping
//! a pointer and freed with the arena in a few calls, instead of a `malloc` and a `free`
//! (and a walk to find them) per node. The tree holds plain references (`&'a Expr<'a>`) and
//! slices (`Nodes<'a, Stmt<'a>>`), and nothing in it needs dropping.

use std::cell::RefCell;

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

    /// Empties the arena for another tree, keeping its largest chunk of memory.
    pub fn reset(&mut self) {
        self.0.reset();
    }

    /// Bytes allocated in the arena so far.
    pub fn allocated_bytes(&self) -> usize {
        self.0.allocated_bytes()
    }

    // Inlined by force, so that a node is written straight into its place in the arena
    // rather than built on the stack and copied there.
    #[inline(always)]
    pub(crate) fn alloc<T>(&self, value: T) -> &mut T {
        self.0.alloc(value)
    }

    /// `items`, moved into the arena.
    pub(crate) fn slice<T>(&self, items: Vec<T>) -> Nodes<'_, T> {
        Nodes::new(self.0.alloc_slice_fill_iter(items))
    }

    pub(crate) fn vec<T>(&self) -> ArenaVec<'_, T> {
        ArenaVec::new_in(&self.0)
    }

    /// A list with room for `capacity` items: growing one copies it, and in an arena the
    /// old copy is not reused.
    pub(crate) fn vec_with_capacity<T>(&self, capacity: usize) -> ArenaVec<'_, T> {
        ArenaVec::with_capacity_in(capacity, &self.0)
    }
}

impl<'a, T> From<ArenaVec<'a, T>> for Nodes<'a, T> {
    fn from(nodes: ArenaVec<'a, T>) -> Self {
        Nodes::new(nodes.into_bump_slice())
    }
}

thread_local! {
    static THREAD_ARENA: RefCell<Arena> = RefCell::new(Arena::new());
}

/// Runs `parse_and_use` with this thread's arena, emptied first: a thread parsing file after
/// file reuses the same memory instead of asking the allocator (and the kernel) for fresh
/// chunks each time. A call made while the thread's arena is in use gets a new arena.
pub fn with_thread_arena<R>(parse_and_use: impl FnOnce(&Arena) -> R) -> R {
    THREAD_ARENA.with(|cell| match cell.try_borrow_mut() {
        Ok(mut arena) => {
            arena.reset();
            parse_and_use(&arena)
        }
        Err(_) => parse_and_use(&Arena::new()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_made_while_the_thread_arena_is_in_use_gets_its_own() {
        with_thread_arena(|outer| {
            let first = crate::parse("x = 1;", outer);
            with_thread_arena(|inner| {
                assert!(!std::ptr::eq(outer, inner));
                assert!(crate::parse("y = 2;", inner).errors.is_empty());
            });
            // The outer tree is untouched by the inner parse.
            let again = crate::parse("x = 1;", outer);
            assert_eq!(crate::dump::dump("x = 1;", &first), crate::dump::dump("x = 1;", &again));
        });
    }

    #[test]
    fn the_thread_arena_keeps_its_memory_for_the_next_file() {
        let source = "m = Map();\nm.put(\"a\", 1);\n".repeat(2_000);
        let used = with_thread_arena(|arena| {
            crate::parse(&source, arena);
            arena.allocated_bytes()
        });
        let kept = with_thread_arena(|arena| arena.allocated_bytes());
        assert!(kept > 0 && kept <= used, "kept {kept} of {used} bytes");
    }
}

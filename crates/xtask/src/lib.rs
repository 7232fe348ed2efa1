//! Project chores as a library, so benchmarks can generate the corpus in memory.

pub mod corpus;

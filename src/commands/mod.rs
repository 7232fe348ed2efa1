//! One module per subcommand.

pub mod check;
pub mod config;
pub mod debug;
pub mod rules;

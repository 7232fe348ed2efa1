//! One module per subcommand.

pub mod check;
pub mod debug;
pub mod rules;

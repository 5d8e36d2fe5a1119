//! The `join!`, `try_join!`, `select!` and `pin!` macros, and their support code.

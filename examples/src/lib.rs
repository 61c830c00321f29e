//! Runnable examples of astrola: `cargo run -p astrola-examples --example inspect`.
//!
//! The examples are the `.rs` files beside this crate's manifest. This library
//! holds the reference executor of online plans ([`executor`], run by the
//! `astrola-execute` binary) and the project README, included below, so that
//! the README's Rust snippets run as doctests (`cargo test --doc`) and cannot
//! rot.
//!
#![doc = include_str!("../../README.md")]

pub mod executor;

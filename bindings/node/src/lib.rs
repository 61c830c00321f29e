//! # astrola-node
//!
//! The native half of the `astrola` npm package: napi-rs wrappers over
//! `astrola-core` (`core.rs`: `parseSchema`, `Schema` and its objects),
//! `astrola-diff` (`diff.rs`: `diff`, `drift`, `ChangeSet`, `DriftReport`),
//! and its three-way merge (`merge.rs`: `merge`, `mergeHistories`, `Merge`),
//! `astrola-lint` (`lint.rs`: `lint`, `rules`, `applyFixes`,
//! `Diagnostic`) and `astrola-planner` (`plan.rs`: `plan`, `Plan`), and the
//! mapping of their errors to JavaScript error classes with a stable `code`
//! (`error.rs`). It holds no logic of its own:
//! every value comes from the core crates. The API is
//! `docs/bindings-api.md`.
//!
//! Slow calls (parsing, diffing, linting) also exist as `…Async` functions
//! that run on the libuv thread pool as napi `Task`s and return Promises.

mod core;
mod diff;
mod error;
mod lint;
mod merge;
mod pii;
mod plan;

use napi::bindgen_prelude::{Env, Result, Task, ToNapiValue, TypeName};

use crate::error::Outcome;

/// A call that runs off the main thread: the work (arguments already
/// checked on the main thread) and, once done, its JavaScript value or the
/// error the Promise rejects with.
pub struct Job<T: Send + 'static> {
    work: Option<Box<dyn FnOnce() -> Outcome<T> + Send>>,
}

impl<T: Send + 'static> Job<T> {
    /// A job that runs `work` on the thread pool.
    pub fn new(work: impl FnOnce() -> Outcome<T> + Send + 'static) -> Self {
        Self { work: Some(Box::new(work)) }
    }
}

impl<T: Send + ToNapiValue + TypeName + 'static> Task for Job<T> {
    type Output = Outcome<T>;
    type JsValue = T;

    fn compute(&mut self) -> Result<Self::Output> {
        // A task is computed once; a second call has nothing left to run.
        let work = self.work.take().ok_or_else(|| napi::Error::from_reason("astrola: task already ran"))?;
        Ok(work())
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<T> {
        output.map_err(|failure| failure.into_js(&env))
    }
}

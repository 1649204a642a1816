//! The engine: demos, their parameters, and the runner that times and checks them.
//!
//! A demo declares its parameters and variants ([`DemoInfo`]) and runs one pass at a time
//! ([`Demo::run`]). The [`Runner`] does the rest the same way for every demo: warm-up,
//! repeats, median / min / max, speedup and efficiency against `sequential`, the correctness
//! check, progress and cancellation. It knows nothing of how a demo computes or how results
//! are drawn: it only sends [`Event`]s.

pub mod admission;
pub mod baseline;
mod cancel;
mod demo;
mod live;
mod panic;
mod params;
mod results;
mod runner;
mod stats;
pub mod typed;

pub use cancel::CancelToken;
pub use demo::{Ctx, Demo, DemoError, DemoInfo, Expect, Metric, Outcome, Progress, VariantInfo};
pub use live::Live;
pub use panic::panic_text;
pub use params::{ParamError, ParamKind, ParamSpec, Params, SetError, Value};
pub use results::{Correctness, Reference, RunReport, VariantReport, WallStats};
pub use runner::{RunRequest, Runner, run_pass, with_ctx};
pub use stats::{Digest, median};
pub use typed::{Choice, DemoParams, ParamType, Typed, TypedDemo, Variants, choice, int};

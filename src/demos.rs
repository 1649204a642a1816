//! The demos, one file each, and the registry that lists them.
//!
//! A demo knows nothing of the UI: it computes, records spans on the tracer it is given and
//! returns a digest the runner compares with `sequential`.

pub mod kernels;
pub mod logs;
pub mod pool;
pub mod squaring;
pub mod workpool;

use std::sync::OnceLock;

use crate::engine::Demo;

/// Every demo, in lesson order.
pub fn all() -> &'static [Box<dyn Demo>] {
    static ALL: OnceLock<Vec<Box<dyn Demo>>> = OnceLock::new();
    ALL.get_or_init(|| {
        vec![
            Box::new(squaring::Squaring::new()),
            Box::new(pool::PoolDemo::new()),
            Box::new(logs::LogsDemo::new()),
        ]
    })
}

/// The demo with id `id`.
pub fn find(id: &str) -> Option<&'static dyn Demo> {
    all().iter().find(|d| d.info().id == id).map(|d| d.as_ref())
}

/// Every demo id, for error messages.
pub fn ids() -> Vec<&'static str> {
    all().iter().map(|d| d.info().id).collect()
}

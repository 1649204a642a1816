//! The message of a panic, so a report can say what went wrong instead of only "panicked".
//!
//! Why here: the runner (engine) and the demos' worker plumbing both join threads that may
//! panic; the engine must not import `demos`, so the one extraction lives in the engine.

use std::any::Any;

/// The message of a panic payload (`panic!("...")` carries a `&str` or a `String`), or
/// "no message" for any other payload.
pub fn panic_text(p: &(dyn Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_of_a_str_a_string_and_anything_else() {
        let s: Box<dyn Any + Send> = Box::new("a bug");
        assert_eq!(panic_text(s.as_ref()), "a bug");
        let s: Box<dyn Any + Send> = Box::new(format!("bug {}", 7));
        assert_eq!(panic_text(s.as_ref()), "bug 7");
        let s: Box<dyn Any + Send> = Box::new(42u32);
        assert_eq!(panic_text(s.as_ref()), "no message");
    }

    #[test]
    fn the_message_of_a_real_panic() {
        let p = std::thread::spawn(|| panic!("worker {} gave up", 3))
            .join()
            .expect_err("the thread panicked");
        assert_eq!(panic_text(p.as_ref()), "worker 3 gave up");
    }
}

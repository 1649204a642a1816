//! [`Capped`]: a list that refuses to grow past its limit while it is parsed, so a trace
//! file cannot make the reader allocate more than the limit says.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, SeqAccess, Visitor};

/// A list of at most `N` entries: a longer one is refused while it is parsed, before it grows.
pub(super) struct Capped<T, const N: usize>(pub(super) Vec<T>);

/// Empty: a list an older trace does not have.
impl<T, const N: usize> Default for Capped<T, N> {
    fn default() -> Self {
        Capped(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>, const N: usize> Deserialize<'de> for Capped<T, N> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T, const N: usize>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>, const N: usize> Visitor<'de> for V<T, N> {
            type Value = Capped<T, N>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a list of at most {N} entries")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = seq.next_element()? {
                    if out.len() == N {
                        return Err(de::Error::custom(format!(
                            "a list of more than {N} entries (the limit for a trace)"
                        )));
                    }
                    out.push(x);
                }
                Ok(Capped(out))
            }
        }
        d.deserialize_seq(V::<T, N>(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_lists_stop_at_their_limit() {
        let ok: Capped<u8, 2> = serde_json::from_str("[1, 2]").unwrap();
        assert_eq!(ok.0, vec![1, 2]);
        let e = serde_json::from_str::<Capped<u8, 2>>("[1, 2, 3]")
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("more than 2 entries"), "{e}");
        assert!(e.contains("line 1 column"), "{e}");
    }
}

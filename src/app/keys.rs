//! Keys as data: each screen has one [`Table`] of [`Binding`]s, and that table both dispatches
//! a key ([`Table::find`]) and lists the keys for the footer and the `?` help
//! ([`Table::help`]), so what the help says and what a key does cannot drift apart.
//!
//! A binding is one line of help (`keys` as shown, what they do, an optional short name for
//! the footer) and the keys it answers to, each with its own action (`↑` moves up, `↓` down).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key a binding answers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// This key (Shift is the handler's business: `Shift-←` moves faster).
    Code(KeyCode),
    /// Ctrl and this letter.
    Ctrl(char),
    /// Any printable character: typing into a text field.
    Text,
    /// Mouse wheel up.
    WheelUp,
    /// Mouse wheel down.
    WheelDown,
}

/// A plain character key.
pub const fn ch(c: char) -> Key {
    Key::Code(KeyCode::Char(c))
}

/// A non-character key.
pub const fn code(c: KeyCode) -> Key {
    Key::Code(c)
}

impl Key {
    /// The keys `k` may stand for, most specific first: `Ctrl-C` before `c`, `q` before text.
    pub fn candidates(k: &KeyEvent) -> Vec<Key> {
        let mut out = Vec::with_capacity(3);
        if let KeyCode::Char(c) = k.code {
            if k.modifiers.contains(KeyModifiers::CONTROL) {
                out.push(Key::Ctrl(c.to_ascii_lowercase()));
            }
            out.push(Key::Code(k.code));
            if !c.is_control() {
                out.push(Key::Text);
            }
        } else {
            out.push(Key::Code(k.code));
        }
        out
    }
}

/// One line of help and the keys behind it.
#[derive(Debug)]
pub struct Binding<A: 'static> {
    /// The keys, as shown: `↑↓ j k`.
    pub keys: &'static str,
    /// What they do.
    pub what: &'static str,
    /// Its name in the footer; empty when it is not shown there.
    pub short: &'static str,
    /// Each key and its action.
    pub map: &'static [(Key, A)],
}

/// A binding: keys as shown, what they do, footer name, each key with its action.
pub const fn b<A>(
    keys: &'static str,
    what: &'static str,
    short: &'static str,
    map: &'static [(Key, A)],
) -> Binding<A> {
    Binding {
        keys,
        what,
        short,
        map,
    }
}

/// One line of help, as the footer and the help overlay draw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Help {
    /// The keys, as shown.
    pub keys: &'static str,
    /// What they do.
    pub what: &'static str,
    /// Footer name; empty when not in the footer.
    pub short: &'static str,
}

/// What the keys shared by every screen do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Global {
    /// Show the help overlay.
    Help,
    /// Switch dark / light.
    Theme,
    /// Leave parlab at once.
    Quit,
}

const HELP: Binding<Global> = b(
    "?",
    "this help (any key closes it)",
    "help",
    &[(ch('?'), Global::Help)],
);
const THEME: Binding<Global> = b(
    "T",
    "dark / light theme (NO_COLOR: plain)",
    "",
    &[(ch('T'), Global::Theme)],
);
const QUIT: Binding<Global> = b(
    "Ctrl-C",
    "quit at once (a run is cancelled)",
    "",
    &[(Key::Ctrl('c'), Global::Quit)],
);

/// The global keys of screens that take commands.
pub const GLOBAL: &[Binding<Global>] = &[HELP, THEME, QUIT];
/// The global keys while text is typed: letters type (so `T` is a letter), `?` still helps.
pub const TYPING: &[Binding<Global>] = &[HELP, QUIT];

/// A key found in a table: one of the global keys or the screen's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit<A> {
    /// A global key.
    Global(Global),
    /// The screen's own.
    Own(A),
}

/// The keys of one screen.
#[derive(Debug)]
pub struct Table<A: 'static> {
    /// The screen's name, the help overlay's title.
    pub name: &'static str,
    /// The screen's own bindings.
    pub own: &'static [Binding<A>],
    /// The global bindings that apply on it.
    pub global: &'static [Binding<Global>],
}

fn lookup<A: Copy>(bindings: &[Binding<A>], key: Key) -> Option<A> {
    bindings
        .iter()
        .flat_map(|b| b.map.iter())
        .find(|(k, _)| *k == key)
        .map(|(_, a)| *a)
}

impl<A: Copy> Table<A> {
    /// What `k` does here: for each candidate key, most specific first, a global key wins.
    pub fn find(&self, k: &KeyEvent) -> Option<Hit<A>> {
        Key::candidates(k).into_iter().find_map(|key| {
            lookup(self.global, key)
                .map(Hit::Global)
                .or_else(|| lookup(self.own, key).map(Hit::Own))
        })
    }

    /// What the wheel does here (`up` or down).
    pub fn wheel(&self, up: bool) -> Option<A> {
        lookup(self.own, if up { Key::WheelUp } else { Key::WheelDown })
    }

    /// The help lines: the screen's own, then the global ones.
    pub fn help(&self) -> Vec<Help> {
        let own = self.own.iter().map(|b| (b.keys, b.what, b.short));
        let global = self.global.iter().map(|b| (b.keys, b.what, b.short));
        own.chain(global)
            .map(|(keys, what, short)| Help { keys, what, short })
            .collect()
    }
}

/// Help of any screen's table, whatever its action type.
pub trait Described {
    /// The screen's name.
    fn name(&self) -> &'static str;
    /// Its help lines.
    fn lines(&self) -> Vec<Help>;
}

impl<A: Copy> Described for Table<A> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn lines(&self) -> Vec<Help> {
        self.help()
    }
}

#[cfg(test)]
pub(crate) mod check;

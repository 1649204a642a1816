//! The parameter editor's state: the settings of the open lesson's next run, the selected
//! row and the text being typed, with its two key tables (choosing, and typing a value).

use crossterm::event::KeyCode;

use super::keys::GLOBAL;
use super::keys::{Binding, Key, TYPING, Table, b, ch, code};
use super::settings::{Row, Settings};

/// What a key does in the parameter editor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamsAction {
    /// Select another row.
    Row(i64),
    /// Decrease (`false`) or increase the value.
    Step(bool),
    /// Turn a variant on / off.
    Toggle,
    /// Type an exact value.
    Edit,
    /// Run with these values.
    Run,
    /// Back to the timeline.
    Done,
}

/// What a key does while a value is typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditAction {
    /// Add the typed character.
    Type,
    /// Delete the last character.
    Delete,
    /// Set the value.
    Set,
    /// Leave the value as it was.
    Cancel,
}

use ParamsAction as P;

const PARAMS: &[Binding<ParamsAction>] = &[
    b(
        "↑↓ j k",
        "choose a parameter",
        "choose",
        &[
            (code(KeyCode::Up), P::Row(-1)),
            (code(KeyCode::Down), P::Row(1)),
            (ch('j'), P::Row(1)),
            (ch('k'), P::Row(-1)),
        ],
    ),
    b(
        "← → h l",
        "decrease / increase (numbers halve / double)",
        "change",
        &[
            (code(KeyCode::Left), P::Step(false)),
            (code(KeyCode::Right), P::Step(true)),
            (ch('h'), P::Step(false)),
            (ch('l'), P::Step(true)),
        ],
    ),
    b(
        "Enter",
        "type an exact value (Enter sets, Esc cancels)",
        "type",
        &[(code(KeyCode::Enter), P::Edit)],
    ),
    b(
        "Space",
        "turn a variant on / off",
        "",
        &[(ch(' '), P::Toggle)],
    ),
    b("r", "run with these values", "run", &[(ch('r'), P::Run)]),
    b(
        "p q Esc Tab",
        "back to the timeline",
        "done",
        &[
            (ch('p'), P::Done),
            (ch('q'), P::Done),
            (code(KeyCode::Esc), P::Done),
            (code(KeyCode::Tab), P::Done),
        ],
    ),
];

const EDIT: &[Binding<EditAction>] = &[
    b(
        "type",
        "the new value",
        "",
        &[(Key::Text, EditAction::Type)],
    ),
    b(
        "Backspace",
        "delete a character",
        "",
        &[(code(KeyCode::Backspace), EditAction::Delete)],
    ),
    b(
        "Enter",
        "set the value",
        "set",
        &[(code(KeyCode::Enter), EditAction::Set)],
    ),
    b(
        "Esc",
        "keep the value as it was",
        "cancel",
        &[(code(KeyCode::Esc), EditAction::Cancel)],
    ),
];

/// The editor's keys.
pub const PARAMS_KEYS: Table<ParamsAction> = Table {
    name: "Parameters",
    own: PARAMS,
    global: GLOBAL,
};

/// The keys while a value is typed.
pub const EDIT_KEYS: Table<EditAction> = Table {
    name: "Parameters: type a value",
    own: EDIT,
    global: TYPING,
};

/// The editor's state.
#[derive(Clone, Debug, Default)]
pub struct ParamEditor {
    /// Settings of the open lesson's demo.
    pub settings: Option<Settings>,
    /// Selected row.
    pub row: usize,
    /// Text being typed for the selected row.
    pub editing: Option<String>,
}

/// What the app must do after an editor key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing more.
    None,
    /// Give the keyboard back to the timeline.
    Done,
    /// Run with these values.
    Run,
    /// Say this in the footer (`true`: a problem).
    Say(String, bool),
}

impl ParamEditor {
    fn selected(&self) -> Option<(Row, usize)> {
        let rows = self.settings.as_ref()?.rows();
        let i = self.row.min(rows.len().checked_sub(1)?);
        Some((rows[i], rows.len()))
    }

    /// Acts on an editor key.
    pub fn act(&mut self, a: ParamsAction) -> Outcome {
        let Some((row, n)) = self.selected() else {
            return Outcome::Done;
        };
        let Some(s) = self.settings.as_mut() else {
            return Outcome::Done;
        };
        match a {
            P::Row(d) => self.row = (self.row as i64 + d).clamp(0, n as i64 - 1) as usize,
            P::Step(up) => s.step(row, up),
            P::Toggle => {
                if let Row::Variant(i) = row {
                    s.toggle(i);
                }
            }
            P::Edit => self.editing = Some(s.describe(row).1),
            P::Run => return Outcome::Run,
            P::Done => return Outcome::Done,
        }
        Outcome::None
    }

    /// Acts on a key while a value is typed; `typed` is the character, if any.
    pub fn edit(&mut self, a: EditAction, typed: Option<char>) -> Outcome {
        let Some(text) = self.editing.as_mut() else {
            return Outcome::None;
        };
        match a {
            EditAction::Type => text.extend(typed),
            EditAction::Delete => {
                text.pop();
            }
            EditAction::Cancel => self.editing = None,
            EditAction::Set => {
                let text = text.clone();
                let (Some((row, _)), Some(s)) = (self.selected(), self.settings.as_mut()) else {
                    return Outcome::None;
                };
                return match s.set_text(row, &text) {
                    Ok(()) => {
                        self.editing = None;
                        let (name, value, _) = s.describe(row);
                        Outcome::Say(format!("{name} = {value}; r runs with it"), false)
                    }
                    Err(e) => Outcome::Say(e, true),
                };
            }
        }
        Outcome::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_shows_exactly_the_keys_dispatched() {
        crate::app::keys::check::table(&PARAMS_KEYS);
        crate::app::keys::check::table(&EDIT_KEYS);
    }

    #[test]
    fn typed_values_are_set_or_refused() {
        let demo = crate::demos::find("squaring").unwrap();
        let (s, _) = Settings::for_lesson(demo, &crate::lesson::Lesson::default(), 2);
        let mut e = ParamEditor {
            settings: Some(s),
            ..ParamEditor::default()
        };
        assert_eq!(e.act(P::Edit), Outcome::None);
        e.edit(EditAction::Delete, None);
        e.edit(EditAction::Type, Some('9'));
        e.edit(EditAction::Type, Some('9'));
        e.edit(EditAction::Type, Some('9'));
        e.edit(EditAction::Type, Some('9'));
        assert!(matches!(
            e.edit(EditAction::Set, None),
            Outcome::Say(_, true)
        ));
        e.edit(EditAction::Cancel, None);
        assert_eq!(e.editing, None);
    }
}

//! The lesson browser's state: the selection and the filter, and what its keys do to them
//! (the keys themselves: [`super::home_keys`]).

pub use super::home_keys::{FILTER_KEYS, FilterAction, HOME_KEYS, HomeAction};
use crate::lesson::LessonSet;

use FilterAction as F;
use HomeAction as H;

/// The browser's state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Home {
    /// Selected lesson (index into the lesson set).
    pub selected: usize,
    /// The filter text.
    pub filter: String,
    /// Whether the filter is being typed.
    pub filtering: bool,
}

impl Home {
    /// Indices of the lessons matching the filter (title, summary, id or number).
    pub fn visible(&self, lessons: &LessonSet) -> Vec<usize> {
        let f = self.filter.to_lowercase();
        lessons
            .lessons
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                f.is_empty()
                    || l.title.to_lowercase().contains(&f)
                    || l.summary.to_lowercase().contains(&f)
                    || l.id.to_lowercase().contains(&f)
                    || l.number.to_string() == f
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Moves the selection by `d` visible lessons, stopping at the ends.
    pub fn move_selection(&mut self, d: i64, lessons: &LessonSet) {
        let vis = self.visible(lessons);
        if vis.is_empty() {
            return;
        }
        let at = vis.iter().position(|i| *i == self.selected).unwrap_or(0) as i64;
        let n = (at + d).clamp(0, vis.len() as i64 - 1) as usize;
        self.selected = vis[n];
    }

    /// Keeps the selection on a lesson the filter shows.
    fn select_visible(&mut self, lessons: &LessonSet) {
        let vis = self.visible(lessons);
        if let Some(first) = vis.first()
            && !vis.contains(&self.selected)
        {
            self.selected = *first;
        }
    }

    /// Acts on a list key; returns the action when the app must act (open, run, quit).
    pub fn act(&mut self, a: HomeAction, lessons: &LessonSet) -> Option<HomeAction> {
        match a {
            H::Move(d) => self.move_selection(d, lessons),
            H::Filter => self.filtering = true,
            H::Clear => self.filter.clear(),
            H::Open | H::Run | H::Runs | H::Exercises | H::Quit => return Some(a),
        }
        None
    }

    /// Acts on a filter key; `typed` is the character typed, if any.
    pub fn filter_act(&mut self, a: FilterAction, typed: Option<char>, lessons: &LessonSet) {
        match a {
            F::Type => {
                if let Some(c) = typed {
                    self.filter.push(c);
                    self.select_visible(lessons);
                }
            }
            F::Delete => {
                self.filter.pop();
            }
            F::Keep => {
                self.filtering = false;
                self.select_visible(lessons);
            }
            F::Clear => {
                self.filtering = false;
                self.filter.clear();
            }
            F::Move(d) => self.move_selection(d, lessons),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keys::check;
    use crossterm::event::KeyCode;

    #[test]
    fn help_shows_exactly_the_keys_dispatched() {
        check::table(&HOME_KEYS);
        check::table(&FILTER_KEYS);
    }

    #[test]
    fn esc_on_the_list_clears_the_filter_and_never_quits() {
        let lessons = LessonSet::default();
        let esc = crossterm::event::KeyEvent::from(KeyCode::Esc);
        let Some(super::super::keys::Hit::Own(a)) = HOME_KEYS.find(&esc) else {
            panic!("Esc is not bound on the list");
        };
        let mut h = Home {
            filter: "pool".into(),
            ..Home::default()
        };
        assert_eq!(h.act(a, &lessons), None);
        assert!(h.filter.is_empty());
        assert_eq!(h.act(a, &lessons), None, "Esc with no filter must not quit");
    }
}

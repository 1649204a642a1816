//! The one check every table passes: the keys a help line shows are exactly the keys its
//! binding dispatches, and no key means two things on one screen.

use super::*;

/// The keys a help label names.
pub fn label_keys(label: &str) -> Vec<Key> {
    let mut out = Vec::new();
    for tok in label.split(' ') {
        let keys: Vec<Key> = match tok {
            "↑↓" => vec![code(KeyCode::Up), code(KeyCode::Down)],
            "↑" => vec![code(KeyCode::Up)],
            "↓" => vec![code(KeyCode::Down)],
            "←" => vec![code(KeyCode::Left)],
            "→" => vec![code(KeyCode::Right)],
            "Enter" => vec![code(KeyCode::Enter)],
            "Esc" => vec![code(KeyCode::Esc)],
            "Tab" => vec![code(KeyCode::Tab)],
            "S-Tab" => vec![code(KeyCode::BackTab)],
            "Space" => vec![ch(' ')],
            "PgUp" => vec![code(KeyCode::PageUp)],
            "PgDn" => vec![code(KeyCode::PageDown)],
            "Home" => vec![code(KeyCode::Home)],
            "End" => vec![code(KeyCode::End)],
            "Backspace" => vec![code(KeyCode::Backspace)],
            "wheel" => vec![Key::WheelUp, Key::WheelDown],
            "type" => vec![Key::Text],
            "Ctrl-C" => vec![Key::Ctrl('c')],
            t if t.chars().count() == 1 => t.chars().map(ch).collect(),
            t => panic!("help label {label:?}: unknown key name {t:?}"),
        };
        out.extend(keys);
    }
    out
}

/// Panics naming the first binding whose help and dispatch differ.
pub fn table<A: Copy + std::fmt::Debug>(t: &Table<A>) {
    let mut seen: Vec<Key> = Vec::new();
    for b in t.own {
        let mut shown = label_keys(b.keys);
        let mut bound: Vec<Key> = b.map.iter().map(|(k, _)| *k).collect();
        for k in &bound {
            assert!(
                !seen.contains(k),
                "{}: {k:?} is bound twice (again in {:?})",
                t.name,
                b.keys
            );
        }
        seen.extend(bound.iter().copied());
        let order = |v: &mut Vec<Key>| v.sort_by_key(|k| format!("{k:?}"));
        order(&mut shown);
        order(&mut bound);
        assert_eq!(
            shown, bound,
            "{}: help {:?} vs keys dispatched",
            t.name, b.keys
        );
    }
    for g in t.global {
        assert_eq!(
            label_keys(g.keys),
            g.map.iter().map(|(k, _)| *k).collect::<Vec<_>>()
        );
    }
}

#[test]
fn global_tables_match_their_help() {
    let t = Table::<Global> {
        name: "global",
        own: &[],
        global: GLOBAL,
    };
    table(&t);
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(t.find(&ctrl_c), Some(Hit::Global(Global::Quit)));
}

//! The TUI's state and its update function: every key, mouse wheel, engine event, sample and
//! clock tick becomes a [`Msg`]; [`App::update`] changes the state and returns an [`Effect`]
//! for the event loop to carry out (start a run, cancel it, save, quit). No I/O happens here,
//! so tests drive the whole UI with messages and draw it on a test backend.

pub mod event_loop;
pub mod keys;
pub mod replay;
pub mod run;
pub mod saved;
pub mod settings;
pub mod timeline;

use std::cell::Cell;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind};

use crate::engine::RunRequest;
use crate::event::Event;
use crate::lesson::{Lesson, LessonSet};
use crate::machine::Machine;
use crate::recording::Recording;
use crate::sampler::Sample;
use crate::ui::theme::{Theme, ThemeKind};

pub use event_loop::{run_replay, run_tui};
use replay::{Player, SPEEDS};
use run::RunView;
use saved::{LessonStatus, Saved};
use settings::{Row, Settings};

/// Runs kept in memory for comparison (the oldest is dropped beyond this).
const MAX_RUNS: usize = 6;

/// Which screen is showing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// The lesson browser.
    Home,
    /// One lesson's text and code.
    Reader,
    /// The run dashboard.
    Dashboard,
}

/// Which code block the reader shows when the terminal is too narrow for both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeTab {
    /// The Python sketch.
    Python,
    /// The Rust parlab runs.
    Rust,
}

/// Which panel of the dashboard has the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// The timeline (cursor, zoom).
    Timeline,
    /// The parameter editor.
    Params,
}

/// The lower panel shown on small terminals, where the dashboard's panels become tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LowerTab {
    /// Verdicts and numbers.
    Results,
    /// Per-worker breakdown.
    Workers,
    /// CPU heat strip.
    Cpu,
    /// Parameter editor.
    Params,
}

/// A one-line message in the footer.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    /// The text.
    pub text: String,
    /// Whether it reports a problem.
    pub error: bool,
}

/// Something that happened.
#[derive(Clone, Debug)]
pub enum Msg {
    /// A key press.
    Key(KeyEvent),
    /// A mouse event (the wheel scrolls).
    Mouse(MouseEvent),
    /// The terminal changed size.
    Resize,
    /// An event from the live run's engine.
    Engine(Event),
    /// A CPU sample for the live run.
    Sample(Sample),
    /// The live run's runner thread ended without a report (it panicked).
    RunnerGone(String),
    /// Time passed: `now_ns` on the shared clock, `dt_ns` of real time since the last tick.
    Tick {
        /// Now, ns on the shared clock.
        now_ns: u64,
        /// Real time since the previous tick, ns.
        dt_ns: u64,
    },
}

/// What the event loop must do after an update.
pub enum Effect {
    /// Nothing.
    None,
    /// Start this run; its events go to the live run (`App::live`).
    Start {
        /// The request.
        req: RunRequest,
    },
    /// Cancel the live run.
    Cancel,
    /// Leave parlab.
    Quit,
}

/// The whole UI state.
pub struct App {
    /// The lessons.
    pub lessons: LessonSet,
    /// The screen showing.
    pub screen: Screen,
    /// Selected lesson (index into `lessons.lessons`).
    pub selected: usize,
    /// The browser's filter text.
    pub filter: String,
    /// Whether the filter is being typed.
    pub filtering: bool,
    /// Lesson open in the reader.
    pub open: Option<usize>,
    /// Reader scroll, lines.
    pub reader_scroll: usize,
    /// Largest useful reader scroll, set by the view.
    pub reader_max: Cell<usize>,
    /// Code tab on narrow terminals.
    pub code_tab: CodeTab,
    /// Settings of the open lesson's demo.
    pub settings: Option<Settings>,
    /// Runs, oldest first.
    pub runs: Vec<RunView>,
    /// Index into `runs` of the run shown on the dashboard.
    pub shown: usize,
    /// Index into `runs` of the live run.
    pub live: Option<usize>,
    /// Dashboard keyboard focus.
    pub focus: Focus,
    /// Selected parameter row.
    pub param_row: usize,
    /// Text being typed for the selected parameter.
    pub editing: Option<String>,
    /// Lower panel on small terminals.
    pub lower_tab: LowerTab,
    /// Help overlay shown.
    pub help: bool,
    /// Colours.
    pub theme: Theme,
    /// Footer message.
    pub status: Option<Status>,
    /// Remembered between sessions.
    pub saved: Saved,
    /// This machine.
    pub machine: Machine,
    /// Started with `parlab replay`: q quits from the dashboard.
    pub replay_only: bool,
    /// Timeline columns and visible worker rows at the last draw, for cursor steps.
    pub timeline_geom: Cell<(u16, usize)>,
    /// Whether anything changed since the last draw.
    pub dirty: bool,
}

impl App {
    /// A browser over `lessons`, the last opened lesson selected.
    pub fn new(lessons: LessonSet, saved: Saved, machine: Machine, theme: ThemeKind) -> App {
        let selected = saved
            .last_opened
            .as_ref()
            .and_then(|id| lessons.lessons.iter().position(|l| &l.id == id))
            .unwrap_or(0);
        App {
            lessons,
            screen: Screen::Home,
            selected,
            filter: String::new(),
            filtering: false,
            open: None,
            reader_scroll: 0,
            reader_max: Cell::new(usize::MAX),
            code_tab: CodeTab::Python,
            settings: None,
            runs: Vec::new(),
            shown: 0,
            live: None,
            focus: Focus::Timeline,
            param_row: 0,
            editing: None,
            lower_tab: LowerTab::Results,
            help: false,
            theme: Theme::new(theme),
            status: None,
            saved,
            machine,
            replay_only: false,
            timeline_geom: Cell::new((0, 0)),
            dirty: true,
        }
    }

    /// A dashboard playing `rec` back.
    pub fn for_replay(rec: &Recording, source: &str, machine: Machine, theme: ThemeKind) -> App {
        let mut app = App::new(LessonSet::default(), Saved::default(), machine, theme);
        let title = rec
            .reports
            .first()
            .map_or_else(|| "recorded run".to_string(), |r| r.demo.clone());
        let mut rv = RunView::new(
            &format!("replay of {source}"),
            &title,
            crate::engine::Params::default(),
            0,
            rec.machine.clone(),
        );
        rv.recorded_on = Some(rec.machine.clone());
        rv.player = Some(Player::new(rec));
        rv.now_ns = rv.player.as_ref().map_or(0, |p| p.start);
        app.runs.push(rv);
        app.screen = Screen::Dashboard;
        app.replay_only = true;
        app.pump_replay(0);
        app
    }

    /// The lesson at `i`.
    pub fn lesson(&self, i: usize) -> Option<&Lesson> {
        self.lessons.lessons.get(i)
    }

    /// Indices of the lessons matching the filter.
    pub fn visible_lessons(&self) -> Vec<usize> {
        let f = self.filter.to_lowercase();
        self.lessons
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

    /// Status of lesson `l`.
    pub fn lesson_status(&self, l: &Lesson) -> Option<LessonStatus> {
        self.saved.status.get(&l.id).copied()
    }

    /// The run on the dashboard.
    pub fn shown_run(&self) -> Option<&RunView> {
        self.runs.get(self.shown)
    }

    fn shown_run_mut(&mut self) -> Option<&mut RunView> {
        self.runs.get_mut(self.shown)
    }

    /// The run before the shown one, of the same demo: what the results compare against.
    pub fn compare_run(&self) -> Option<&RunView> {
        let cur = self.shown_run()?;
        self.runs[..self.shown]
            .iter()
            .rev()
            .find(|r| r.demo == cur.demo && r.summary.is_some())
    }

    /// Whether the live run is still going.
    pub fn running(&self) -> bool {
        self.live
            .and_then(|i| self.runs.get(i))
            .is_some_and(RunView::running)
    }

    fn say(&mut self, text: impl Into<String>, error: bool) {
        self.status = Some(Status {
            text: text.into(),
            error,
        });
    }

    /// Takes in one message.
    pub fn update(&mut self, msg: Msg) -> Effect {
        match msg {
            Msg::Key(k) if k.kind != KeyEventKind::Release => {
                self.dirty = true;
                // A message stays until the next key; the keys come back in the footer.
                if !self.running() {
                    self.status = None;
                }
                self.key(k)
            }
            Msg::Key(_) => Effect::None,
            Msg::Mouse(m) => self.mouse(m),
            Msg::Resize => {
                self.dirty = true;
                Effect::None
            }
            Msg::Engine(ev) => self.engine(ev),
            Msg::Sample(s) => {
                if let Some(r) = self.live.and_then(|i| self.runs.get_mut(i)) {
                    r.push_sample(s);
                    self.dirty = true;
                }
                Effect::None
            }
            Msg::RunnerGone(why) => {
                if let Some(i) = self.live.take()
                    && let Some(r) = self.runs.get_mut(i)
                {
                    r.fail(why.clone());
                    self.say(format!("the run failed: {why}"), true);
                    self.dirty = true;
                }
                Effect::None
            }
            Msg::Tick { now_ns, dt_ns } => {
                if let Some(r) = self.live.and_then(|i| self.runs.get_mut(i))
                    && r.running()
                {
                    r.set_now(now_ns);
                    self.dirty = true;
                }
                self.pump_replay(dt_ns);
                Effect::None
            }
        }
    }

    /// Feeds the shown replay whatever became due.
    fn pump_replay(&mut self, dt_ns: u64) {
        let Some(run) = self.runs.get_mut(self.shown) else {
            return;
        };
        let Some(p) = run.player.as_mut() else {
            return;
        };
        if p.at_end() && p.pos >= p.end {
            return;
        }
        p.advance(dt_ns);
        let pos = p.pos;
        let (evs, smps) = p.due();
        for e in evs {
            run.apply(e);
        }
        for s in smps {
            run.push_sample(s);
        }
        run.set_now(pos);
        self.dirty = true;
    }

    fn engine(&mut self, ev: Event) -> Effect {
        let Some(i) = self.live else {
            return Effect::None;
        };
        let Some(run) = self.runs.get_mut(i) else {
            return Effect::None;
        };
        let done = matches!(ev, Event::Finished(_));
        run.apply(ev);
        self.dirty = true;
        if done {
            self.live = None;
            let (state, title) = (run.state.clone(), run.title.clone());
            if let Some(id) = self.open.and_then(|o| self.lesson(o)).map(|l| l.id.clone()) {
                let st = if state == run::RunState::Done {
                    LessonStatus::Done
                } else {
                    LessonStatus::Run
                };
                self.saved.mark(&id, st);
            }
            let msg = match state {
                run::RunState::Cancelled => format!("{title}: cancelled; what completed is shown"),
                _ => format!("{title}: finished. r runs again, p changes parameters"),
            };
            self.say(msg, false);
        }
        Effect::None
    }

    fn mouse(&mut self, m: MouseEvent) -> Effect {
        let up = match m.kind {
            MouseEventKind::ScrollUp => true,
            MouseEventKind::ScrollDown => false,
            _ => return Effect::None,
        };
        self.dirty = true;
        match self.screen {
            Screen::Home => self.move_selection(if up { -1 } else { 1 }),
            Screen::Reader => self.scroll_reader(if up { -3 } else { 3 }),
            Screen::Dashboard => self.zoom(if up { 0.5 } else { 2.0 }),
        }
        Effect::None
    }

    fn key(&mut self, k: KeyEvent) -> Effect {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(k.code, KeyCode::Char('c')) {
            return self.quit();
        }
        if self.help {
            self.help = false;
            return Effect::None;
        }
        if self.editing.is_some() {
            return self.edit_key(k);
        }
        if self.filtering {
            return self.filter_key(k);
        }
        match k.code {
            KeyCode::Char('?') => {
                self.help = true;
                return Effect::None;
            }
            KeyCode::Char('T') => {
                self.theme = Theme::new(self.theme.kind.toggled());
                return Effect::None;
            }
            _ => {}
        }
        match self.screen {
            Screen::Home => self.home_key(k),
            Screen::Reader => self.reader_key(k),
            Screen::Dashboard => self.dashboard_key(k),
        }
    }

    fn quit(&mut self) -> Effect {
        Effect::Quit
    }

    fn move_selection(&mut self, d: i64) {
        let vis = self.visible_lessons();
        if vis.is_empty() {
            return;
        }
        let at = vis.iter().position(|i| *i == self.selected).unwrap_or(0) as i64;
        let n = (at + d).clamp(0, vis.len() as i64 - 1) as usize;
        self.selected = vis[n];
    }

    fn home_key(&mut self, k: KeyEvent) -> Effect {
        match k.code {
            KeyCode::Char('q') => return self.quit(),
            KeyCode::Esc => {
                if self.filter.is_empty() {
                    return self.quit();
                }
                self.filter.clear();
            }
            KeyCode::Up | KeyCode::Char('k') => self.move_selection(-1),
            KeyCode::Down | KeyCode::Char('j') => self.move_selection(1),
            KeyCode::PageUp => self.move_selection(-10),
            KeyCode::PageDown => self.move_selection(10),
            KeyCode::Home | KeyCode::Char('g') => self.move_selection(-10_000),
            KeyCode::End | KeyCode::Char('G') => self.move_selection(10_000),
            KeyCode::Char('/') => {
                self.filtering = true;
            }
            KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') => return self.open_lesson(),
            KeyCode::Char('r') => {
                self.open_lesson();
                if self.open.is_some() {
                    return self.start_run();
                }
            }
            _ => {}
        }
        Effect::None
    }

    fn filter_key(&mut self, k: KeyEvent) -> Effect {
        match k.code {
            KeyCode::Esc => {
                self.filtering = false;
                self.filter.clear();
            }
            KeyCode::Enter => {
                self.filtering = false;
                if let Some(first) = self.visible_lessons().first()
                    && !self.visible_lessons().contains(&self.selected)
                {
                    self.selected = *first;
                }
            }
            KeyCode::Backspace => {
                self.filter.pop();
            }
            KeyCode::Up => self.move_selection(-1),
            KeyCode::Down => self.move_selection(1),
            KeyCode::Char(c) => {
                self.filter.push(c);
                if let Some(first) = self.visible_lessons().first()
                    && !self.visible_lessons().contains(&self.selected)
                {
                    self.selected = *first;
                }
            }
            _ => {}
        }
        Effect::None
    }

    /// Opens the selected lesson in the reader.
    pub fn open_lesson(&mut self) -> Effect {
        let Some(lesson) = self.lesson(self.selected).cloned() else {
            return Effect::None;
        };
        if self.open != Some(self.selected) || self.settings.is_none() {
            self.settings = None;
            match crate::demos::find(&lesson.demo) {
                Some(demo) => {
                    let (s, problems) = Settings::for_lesson(demo, &lesson, self.machine.cores);
                    self.settings = Some(s);
                    if let Some(p) = problems.first() {
                        self.say(p.clone(), true);
                    }
                }
                None => self.say(
                    format!(
                        "lesson {}: there is no demo called `{}`",
                        lesson.id, lesson.demo
                    ),
                    true,
                ),
            }
            self.reader_scroll = 0;
            self.param_row = 0;
        }
        self.open = Some(self.selected);
        self.screen = Screen::Reader;
        self.saved.last_opened = Some(lesson.id);
        Effect::None
    }

    fn scroll_reader(&mut self, d: i64) {
        let max = self.reader_max.get();
        self.reader_scroll = (self.reader_scroll as i64 + d).clamp(0, max as i64) as usize;
    }

    fn reader_key(&mut self, k: KeyEvent) -> Effect {
        match k.code {
            KeyCode::Char('q') | KeyCode::Esc | KeyCode::Left | KeyCode::Char('h') => {
                self.screen = Screen::Home;
            }
            KeyCode::Up | KeyCode::Char('k') => self.scroll_reader(-1),
            KeyCode::Down | KeyCode::Char('j') => self.scroll_reader(1),
            KeyCode::PageUp | KeyCode::Char('b') => self.scroll_reader(-15),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll_reader(15),
            KeyCode::Home | KeyCode::Char('g') => self.reader_scroll = 0,
            KeyCode::End | KeyCode::Char('G') => self.reader_scroll = self.reader_max.get(),
            KeyCode::Char('t') | KeyCode::Tab => {
                self.code_tab = match self.code_tab {
                    CodeTab::Python => CodeTab::Rust,
                    CodeTab::Rust => CodeTab::Python,
                };
            }
            KeyCode::Char('r') => return self.start_run(),
            KeyCode::Char('d') | KeyCode::Right | KeyCode::Char('l') => {
                if self.lesson_runs().is_empty() {
                    self.say("no run yet: press r to run this lesson's demo", false);
                } else {
                    self.shown = *self.lesson_runs().last().unwrap_or(&0);
                    self.screen = Screen::Dashboard;
                }
            }
            _ => {}
        }
        Effect::None
    }

    /// Indices of the runs of the open lesson.
    pub fn lesson_runs(&self) -> Vec<usize> {
        let Some(demo) = self
            .open
            .and_then(|o| self.lesson(o))
            .map(|l| l.demo.clone())
        else {
            return (0..self.runs.len()).collect();
        };
        (0..self.runs.len())
            .filter(|i| self.runs[*i].demo == demo)
            .collect()
    }

    /// Starts a run of the open lesson with the current settings.
    pub fn start_run(&mut self) -> Effect {
        if self.running() {
            self.say("a run is in progress: Esc cancels it", true);
            self.screen = Screen::Dashboard;
            return Effect::None;
        }
        let Some(s) = self.settings.clone() else {
            self.say("this lesson has no demo to run", true);
            return Effect::None;
        };
        if let Err(e) = s.check_memory(self.machine.memory_bytes) {
            self.say(e, true);
            return Effect::None;
        }
        let title = self
            .open
            .and_then(|o| self.lesson(o))
            .map_or_else(|| s.demo.info().title.to_string(), |l| l.title.clone());
        let info = s.demo.info();
        let mut rv = RunView::new(
            &title,
            info.id,
            s.params.clone(),
            s.workers,
            self.machine.clone(),
        );
        rv.variants = info.variants.iter().map(|v| v.name.to_string()).collect();
        if self.runs.len() >= MAX_RUNS {
            self.runs.remove(0);
        }
        self.runs.push(rv);
        self.shown = self.runs.len() - 1;
        self.live = Some(self.shown);
        self.screen = Screen::Dashboard;
        self.focus = Focus::Timeline;
        self.lower_tab = LowerTab::Results;
        if let Some(id) = self.open.and_then(|o| self.lesson(o)).map(|l| l.id.clone()) {
            self.saved.mark(&id, LessonStatus::Run);
        }
        self.say(
            format!(
                "running {} with {} worker{}: Esc cancels",
                info.id,
                s.workers,
                if s.workers == 1 { "" } else { "s" }
            ),
            false,
        );
        Effect::Start {
            req: RunRequest {
                demo: s.demo,
                params: s.params.clone(),
                workers: s.workers,
                variants: s.variants(),
                repeats: None,
                reference: None,
            },
        }
    }

    fn zoom(&mut self, factor: f64) {
        if let Some(r) = self.shown_run_mut() {
            let (s, e) = r.extent();
            r.timeline.zoom(factor, s, e);
        }
    }

    fn dashboard_key(&mut self, k: KeyEvent) -> Effect {
        if self.focus == Focus::Params {
            return self.params_key(k);
        }
        let (cols, visible) = self.timeline_geom.get();
        let shift = k.modifiers.contains(KeyModifiers::SHIFT);
        match k.code {
            KeyCode::Char('q') => {
                if self.replay_only {
                    return self.quit();
                }
                self.screen = Screen::Reader;
            }
            KeyCode::Esc => {
                if self.running() {
                    if let Some(r) = self.live.and_then(|i| self.runs.get_mut(i)) {
                        r.cancelling = true;
                    }
                    self.say("cancelling… (what completed stays on screen)", false);
                    return Effect::Cancel;
                }
                if self.replay_only {
                    return self.quit();
                }
                self.screen = Screen::Reader;
            }
            KeyCode::Char('r') if !self.replay_only => return self.start_run(),
            KeyCode::Char('p') if !self.replay_only => {
                self.focus = Focus::Params;
                self.lower_tab = LowerTab::Params;
            }
            KeyCode::Char('1') => self.lower_tab = LowerTab::Results,
            KeyCode::Char('2') => self.lower_tab = LowerTab::Workers,
            KeyCode::Char('3') => self.lower_tab = LowerTab::Cpu,
            KeyCode::Char('4') => self.lower_tab = LowerTab::Params,
            KeyCode::Char('[') => self.browse_runs(-1),
            KeyCode::Char(']') => self.browse_runs(1),
            KeyCode::Char('+') | KeyCode::Char('=') | KeyCode::Char('z') => self.zoom(0.5),
            KeyCode::Char('-') | KeyCode::Char('Z') => self.zoom(2.0),
            KeyCode::Char('0') | KeyCode::Char('f') => {
                if let Some(r) = self.shown_run_mut() {
                    r.timeline.fit();
                }
            }
            KeyCode::Char('H') | KeyCode::Char('L') => {
                let d = if k.code == KeyCode::Char('H') { -1 } else { 1 };
                if let Some(r) = self.shown_run_mut() {
                    let (s, e) = r.extent();
                    r.timeline.scroll(d, s, e);
                }
            }
            KeyCode::Left | KeyCode::Char('h') | KeyCode::Right | KeyCode::Char('l') => {
                let left = matches!(k.code, KeyCode::Left | KeyCode::Char('h'));
                let step = if shift { 8 } else { 1 };
                if let Some(r) = self.shown_run_mut() {
                    let (s, e) = r.extent();
                    r.timeline
                        .move_cursor(if left { -step } else { step }, cols, s, e);
                }
            }
            KeyCode::Up | KeyCode::Char('k') | KeyCode::Down | KeyCode::Char('j') => {
                let up = matches!(k.code, KeyCode::Up | KeyCode::Char('k'));
                if let Some(r) = self.shown_run_mut() {
                    let rows = r.rows();
                    r.timeline.move_row(if up { -1 } else { 1 }, rows, visible);
                    if r.timeline.cursor.is_none() {
                        let (s, e) = r.extent();
                        r.timeline.move_cursor(0, cols, s, e);
                    }
                }
            }
            KeyCode::Home => {
                if let Some(r) = self.shown_run_mut() {
                    let (s, e) = r.extent();
                    r.timeline.cursor = Some(s);
                    r.timeline.move_cursor(0, cols, s, e);
                }
            }
            KeyCode::End => {
                if let Some(r) = self.shown_run_mut() {
                    let (s, e) = r.extent();
                    r.timeline.cursor = Some(e);
                    r.timeline.move_cursor(0, cols, s, e);
                }
            }
            KeyCode::Char('c') => {
                if let Some(r) = self.shown_run_mut() {
                    r.timeline.cursor = None;
                }
            }
            KeyCode::Char(' ') => {
                if let Some(p) = self.shown_run_mut().and_then(|r| r.player.as_mut()) {
                    p.paused = !p.paused;
                }
            }
            KeyCode::Char('<') | KeyCode::Char(',') => {
                if let Some(p) = self.shown_run_mut().and_then(|r| r.player.as_mut()) {
                    p.speed = p.speed.saturating_sub(1);
                }
            }
            KeyCode::Char('>') | KeyCode::Char('.') => {
                if let Some(p) = self.shown_run_mut().and_then(|r| r.player.as_mut()) {
                    p.speed = (p.speed + 1).min(SPEEDS.len() - 1);
                }
            }
            KeyCode::Char('e') => {
                if let Some(p) = self.shown_run_mut().and_then(|r| r.player.as_mut()) {
                    p.jump_to_end();
                }
                self.pump_replay(0);
            }
            _ => {}
        }
        Effect::None
    }

    fn browse_runs(&mut self, d: i64) {
        let runs = self.lesson_runs();
        if runs.is_empty() {
            return;
        }
        let at = runs
            .iter()
            .position(|i| *i == self.shown)
            .unwrap_or(runs.len() - 1) as i64;
        let n = (at + d).clamp(0, runs.len() as i64 - 1) as usize;
        self.shown = runs[n];
        self.say(format!("showing run {} of {}", n + 1, runs.len()), false);
    }

    fn params_key(&mut self, k: KeyEvent) -> Effect {
        let Some(s) = self.settings.as_mut() else {
            self.focus = Focus::Timeline;
            return Effect::None;
        };
        let rows = s.rows();
        let row = rows[self.param_row.min(rows.len() - 1)];
        match k.code {
            KeyCode::Esc | KeyCode::Char('p') | KeyCode::Tab | KeyCode::Char('q') => {
                self.focus = Focus::Timeline;
            }
            KeyCode::Up | KeyCode::Char('k') => self.param_row = self.param_row.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => {
                self.param_row = (self.param_row + 1).min(rows.len() - 1);
            }
            KeyCode::Left | KeyCode::Char('h') => s.step(row, false),
            KeyCode::Right | KeyCode::Char('l') => s.step(row, true),
            KeyCode::Char(' ') => {
                if let Row::Variant(i) = row {
                    s.toggle(i);
                }
            }
            KeyCode::Enter => {
                let (_, v, _) = s.describe(row);
                self.editing = Some(v);
            }
            KeyCode::Char('r') => {
                self.focus = Focus::Timeline;
                return self.start_run();
            }
            _ => {}
        }
        Effect::None
    }

    fn edit_key(&mut self, k: KeyEvent) -> Effect {
        let Some(text) = self.editing.as_mut() else {
            return Effect::None;
        };
        match k.code {
            KeyCode::Esc => self.editing = None,
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char(c) if !c.is_control() => text.push(c),
            KeyCode::Enter => {
                let text = text.clone();
                if let Some(s) = self.settings.as_mut() {
                    let rows = s.rows();
                    let row = rows[self.param_row.min(rows.len() - 1)];
                    match s.set_text(row, &text) {
                        Ok(()) => {
                            self.editing = None;
                            let (name, value, _) = s.describe(row);
                            self.say(format!("{name} = {value}; r runs with it"), false);
                        }
                        Err(e) => self.say(e, true),
                    }
                }
            }
            _ => {}
        }
        Effect::None
    }
}

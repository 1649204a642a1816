//! The TUI's state and its update function: every key, mouse wheel, engine event, sample,
//! clock tick and drawn layout becomes a [`Msg`]; [`App::update`] changes the state and
//! returns an [`Effect`] for the event loop to carry out (start a run, cancel it, quit). No
//! I/O happens here, so tests drive the whole UI with messages and draw it on a test backend.
//!
//! One small state struct per screen ([`Home`], [`Reader`], [`Dashboard`], [`ParamEditor`]),
//! each with its key table ([`keys`]); `App` holds them, the lessons and the runs, and routes
//! ([`route`]). The views (`ui`) read this state; nothing here knows how it is drawn.

pub mod dashboard;
pub mod dashboard_keys;
pub mod exercise_keys;
pub mod exercises;
pub mod history;
pub mod home;
pub mod home_keys;
pub mod keys;
pub mod learn;
pub mod learn_keys;
pub mod lecture;
pub mod lecture_keys;
pub mod msg;
pub mod palette;
pub mod panels;
pub mod params;
pub mod reader;
pub mod replay;
pub mod route;
pub mod rows;
pub mod run;
pub mod runs;
pub mod settings;
pub mod sweep;
pub mod timeline;
pub mod watch;

use crossterm::event::KeyEventKind;

use crate::lesson::{Lesson, LessonSet};
use crate::machine::Machine;
use crate::recording::Recording;

use crate::progress::{LessonStatus, Progress};
pub use dashboard::{Dashboard, Focus, LowerTab};
pub use home::Home;
pub use msg::{Effect, Geometry, Msg, Status};
pub use palette::ThemeKind;
pub use params::ParamEditor;
pub use reader::{CodeTab, Reader};
use run::RunView;

/// Which screen is showing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// The lesson browser.
    Home,
    /// One lesson's text and code.
    Reader,
    /// The run dashboard.
    Dashboard,
    /// The runs kept between sessions.
    Runs,
    /// Speedup over worker counts.
    Sweep,
    /// A lecture presented step by step (`parlab present FILE`).
    Lecture,
    /// The exercise list, beside the lessons.
    Exercises,
    /// One exercise: task, hints, workspace, check and verdict.
    Exercise,
}

/// The whole UI state.
pub struct App {
    /// The lessons.
    pub lessons: LessonSet,
    /// The screen showing.
    pub screen: Screen,
    /// The lesson browser.
    pub home: Home,
    /// The lesson reader.
    pub reader: Reader,
    /// The dashboard's panels and timeline geometry.
    pub dash: Dashboard,
    /// The parameter editor (the open lesson's settings).
    pub params: ParamEditor,
    /// Runs, oldest first.
    pub runs: Vec<RunView>,
    /// Index into `runs` of the run shown on the dashboard.
    pub shown: usize,
    /// Index into `runs` of the live run.
    pub live: Option<usize>,
    /// Help overlay shown.
    pub help: bool,
    /// Palette.
    pub theme: ThemeKind,
    /// Footer message.
    pub status: Option<Status>,
    /// What the student did, kept between sessions (`progress.json`).
    pub progress: Progress,
    /// The Runs screen (runs kept between sessions).
    pub history: history::History,
    /// The last sweep over worker counts.
    pub sweep: Option<sweep::SweepView>,
    /// This machine.
    pub machine: Machine,
    /// Whether anything changed since the last draw.
    pub dirty: bool,
    /// Presenter layout (`--present`, key `P`): few panels, big numbers, for a projector.
    pub present: bool,
    /// The last program watched, so `r` on its dashboard watches it again.
    pub rerun: Option<watch::Rerun>,
    /// Whether `python3` can be started here (told by the loop at start): without it the
    /// reader's `w` says so in one line and everything else works.
    pub python3: bool,
    /// The student's latest Python run of each lesson (`{{ py_wall() }}` in the lesson text).
    pub python_runs: Vec<crate::lesson::pyrun::PyRun>,
    /// Predictions asked, the quiz, the challenge taken.
    pub learn: learn::Learn,
    /// The lecture presented (`parlab present FILE`), if any.
    pub lecture: Option<lecture::Lecture>,
    /// Whether the terminal draws sized text (kitty's text-sizing protocol): headings use it.
    pub text_sizing: bool,
    /// The code exercises (built in, or `--exercises DIR`).
    pub exercises: crate::exercise::ExerciseSet,
    /// The exercise screens' state.
    pub ex: exercises::Exercises,
}

impl App {
    /// A browser over `lessons`, the last opened lesson selected.
    pub fn new(lessons: LessonSet, progress: Progress, machine: Machine, theme: ThemeKind) -> App {
        let selected = progress
            .last_opened
            .as_ref()
            .and_then(|id| lessons.lessons.iter().position(|l| &l.id == id))
            .unwrap_or(0);
        App {
            lessons,
            screen: Screen::Home,
            home: Home {
                selected,
                ..Home::default()
            },
            reader: Reader::default(),
            dash: Dashboard::default(),
            params: ParamEditor::default(),
            runs: Vec::new(),
            shown: 0,
            live: None,
            help: false,
            theme,
            status: None,
            progress,
            history: history::History::default(),
            sweep: None,
            machine,
            dirty: true,
            present: false,
            rerun: None,
            python3: true,
            python_runs: Vec::new(),
            learn: learn::Learn::default(),
            lecture: None,
            text_sizing: false,
            exercises: crate::exercise::ExerciseSet::default(),
            ex: exercises::Exercises::default(),
        }
    }

    /// A dashboard playing `rec` back.
    pub fn for_replay(rec: &Recording, source: &str, machine: Machine, theme: ThemeKind) -> App {
        let mut app = App::new(LessonSet::default(), Progress::default(), machine, theme);
        let rv = RunView::replay(rec, source);
        app.runs.push(rv);
        app.screen = Screen::Dashboard;
        app.dash.replay_only = true;
        app.pump_replay(0);
        app
    }

    /// The lesson at `i`.
    pub fn lesson(&self, i: usize) -> Option<&Lesson> {
        self.lessons.lessons.get(i)
    }

    /// The lesson open in the reader.
    pub fn open_lesson_ref(&self) -> Option<&Lesson> {
        self.reader.open.and_then(|i| self.lesson(i))
    }

    /// Indices of the lessons matching the filter.
    pub fn visible_lessons(&self) -> Vec<usize> {
        self.home.visible(&self.lessons)
    }

    /// Status of lesson `l`.
    pub fn lesson_status(&self, l: &Lesson) -> Option<LessonStatus> {
        self.progress.lesson(&l.id).and_then(|p| p.status)
    }

    /// The run on the dashboard.
    pub fn shown_run(&self) -> Option<&RunView> {
        self.runs.get(self.shown)
    }

    /// The run before the shown one, of the same lesson and demo: what the results compare
    /// against (never another lesson's; differing parameters are named on screen).
    pub fn compare_run(&self) -> Option<&RunView> {
        let cur = self.shown_run()?;
        self.runs[..self.shown.min(self.runs.len())]
            .iter()
            .rev()
            .find(|r| r.demo == cur.demo && r.lesson == cur.lesson && r.summary.is_some())
    }

    /// Whether the live run is still going.
    pub fn running(&self) -> bool {
        self.live
            .and_then(|i| self.runs.get(i))
            .is_some_and(RunView::running)
    }

    fn say(&mut self, text: impl Into<String>, error: bool) {
        self.status = Some(Status::new(text, error));
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
                self.key(&k)
            }
            Msg::Key(_) => Effect::None,
            Msg::Mouse(m) => self.mouse(m),
            Msg::Resize => {
                self.dirty = true;
                Effect::None
            }
            Msg::Layout(g) => {
                if let Some(max) = g.reader_max {
                    self.reader.max = max;
                }
                if let Some((cols, rows)) = g.timeline {
                    (self.dash.timeline_cols, self.dash.timeline_rows) = (cols, rows);
                }
                if let Some((max, page)) = g.panel {
                    (self.dash.panel_max, self.dash.panel_page) = (max, page);
                }
                Effect::None
            }
            Msg::Engine(ev) => {
                let done = matches!(ev, crate::event::Event::Finished(_));
                let effect = self.engine(ev);
                if done {
                    self.lecture_run_ended();
                }
                effect
            }
            Msg::Sample(s) => {
                if let Some(r) = self.live.and_then(|i| self.runs.get_mut(i)) {
                    r.push_sample(s);
                    self.dirty = true;
                }
                Effect::None
            }
            Msg::RunnerGone(why) => {
                self.runner_gone(why);
                Effect::None
            }
            Msg::RunsLoaded { runs, warning } => {
                self.runs_loaded(runs, warning);
                Effect::None
            }
            Msg::RunOpened { run, rec } => {
                self.run_opened(*run, rec);
                Effect::None
            }
            Msg::SweepEnded => {
                self.sweep_ended();
                Effect::None
            }
            Msg::Kept(r) => {
                self.kept(r);
                Effect::None
            }
            Msg::Exercise(m) => self.exercise_msg(m),
            Msg::Tick { now_ns, dt_ns } => {
                // A message gives the footer back to the keys after a while (not mid-run: a
                // run's messages say what it is doing).
                if !self.running()
                    && let Some(s) = self.status.as_mut()
                    && s.expired(now_ns)
                {
                    self.status = None;
                    self.dirty = true;
                }
                if let Some(r) = self.live.and_then(|i| self.runs.get_mut(i))
                    && r.running()
                {
                    r.set_now(now_ns);
                    self.dirty = true;
                }
                self.pump_replay(dt_ns);
                let checking = self.exercise_tick(now_ns);
                if !matches!(checking, Effect::None) {
                    return checking;
                }
                self.lecture_tick()
            }
        }
    }
}

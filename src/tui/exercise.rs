//! The exercise screen's I/O, done by the event loop for the app: writing the starter, the
//! check on its own thread (cancellable: its program is stopped first), and watching the
//! workspace file for saves ([`workspace::watch_saves`], the same as `parlab exercise watch`).
//! Every answer is a [`Msg::Exercise`] on one channel the loop listens to.

use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, unbounded};

use crate::app::Msg;
use crate::app::exercises::{ExerciseMsg, ExerciseOp};
use crate::engine::CancelToken;
use crate::exercise::check::{self, Options};
use crate::exercise::{ExerciseSet, workspace};

/// The exercise work in flight.
pub struct ExerciseWork {
    tx: Sender<Msg>,
    /// Where the answers arrive.
    pub rx: Receiver<Msg>,
    check: Option<(CancelToken, JoinHandle<()>)>,
    saves: Option<notify::RecommendedWatcher>,
}

impl ExerciseWork {
    /// Nothing in flight.
    pub fn new() -> ExerciseWork {
        let (tx, rx) = unbounded();
        ExerciseWork {
            tx,
            rx,
            check: None,
            saves: None,
        }
    }

    /// Carries out `op` for exercises of `set`.
    pub fn run(&mut self, op: ExerciseOp, set: &ExerciseSet) {
        let say = |tx: &Sender<Msg>, m: ExerciseMsg| {
            let _ = tx.send(Msg::Exercise(m));
        };
        match op {
            ExerciseOp::Start { id, dir, force } => {
                let r = match set.get(&id) {
                    Some(ex) => workspace::start(ex, &dir, force).map_err(|e| format!("{e:#}")),
                    None => Err(format!("unknown exercise {id}")),
                };
                say(&self.tx, ExerciseMsg::Started(r));
            }
            ExerciseOp::Check { id, dir } => {
                self.stop_check(Duration::from_secs(5));
                let Some(ex) = set.get(&id).cloned() else {
                    say(
                        &self.tx,
                        ExerciseMsg::Checked(Err(format!("unknown exercise {id}"))),
                    );
                    return;
                };
                let cancel = CancelToken::new();
                let (tx, c) = (self.tx.clone(), cancel.clone());
                let spawned = std::thread::Builder::new()
                    .name("exercise-check".into())
                    .spawn(move || {
                        let file = workspace::file(&ex, &dir);
                        let r = match std::fs::read_to_string(&file) {
                            Err(e) => Err(format!(
                                "no program at {} ({e}): press s to write the starter",
                                file.display()
                            )),
                            Ok(text) => {
                                let opts = Options {
                                    cancel: c.clone(),
                                    ..Options::default()
                                };
                                match check::check_recorded(&ex, &text, &file, &opts) {
                                    _ if c.is_cancelled() => Err("check cancelled".into()),
                                    Ok((v, run)) => {
                                        if let Some(run) = run {
                                            let _ = tx.send(Msg::Exercise(ExerciseMsg::Ran {
                                                id: ex.id.clone(),
                                                run: Box::new(run),
                                            }));
                                        }
                                        Ok(Box::new(v))
                                    }
                                    Err(e) => Err(format!("{e:#}")),
                                }
                            }
                        };
                        let _ = tx.send(Msg::Exercise(ExerciseMsg::Checked(r)));
                    });
                match spawned {
                    Ok(h) => self.check = Some((cancel, h)),
                    Err(e) => say(
                        &self.tx,
                        ExerciseMsg::Checked(Err(format!("cannot start the check: {e}"))),
                    ),
                }
            }
            ExerciseOp::Cancel => {
                if let Some((c, _)) = &self.check {
                    c.cancel();
                }
            }
            ExerciseOp::Watch(None) => {
                self.saves = None;
                if let Some((c, _)) = &self.check {
                    c.cancel();
                }
            }
            ExerciseOp::Watch(Some(file)) => {
                let tx = self.tx.clone();
                match workspace::watch_saves(&file, move || {
                    let _ = tx.send(Msg::Exercise(ExerciseMsg::Saved));
                }) {
                    Ok(w) => self.saves = Some(w),
                    Err(e) => say(&self.tx, ExerciseMsg::WatchFailed(format!("{e:#}"))),
                }
            }
        }
    }

    /// Cancels the check running and waits up to `wait` for its program to be stopped, so
    /// none outlives parlab.
    pub fn stop_check(&mut self, wait: Duration) {
        let Some((c, h)) = self.check.take() else {
            return;
        };
        c.cancel();
        let end = Instant::now() + wait;
        while !h.is_finished() && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(20));
        }
        if h.is_finished() {
            let _ = h.join();
        }
    }
}

impl Default for ExerciseWork {
    fn default() -> Self {
        ExerciseWork::new()
    }
}

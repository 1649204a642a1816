//! The verdict of a check: correctness first, then the speed levels as ratios measured side by
//! side, then what the observer saw; as text for the learner or JSON for a grader. Never an
//! absolute time: a ratio measured on this machine means the same on any machine.

use serde::Serialize;

use super::Pass;
use super::observed::Observed;
use crate::report::than_sequential;

/// "Faster than sequential" needs at least this speedup on any machine: above the noise of
/// one run. It is also what the reference must reach for speed to be judged at all.
pub const FASTER: f64 = 1.1;

/// What each core adds to the speedup "faster than sequential" asks: a program that uses 16
/// cores should beat sequential by more than one that has 2 ([`Thresholds::for_machine`]).
pub const PER_CORE: f64 = 0.05;

/// The most "faster than sequential" asks, however many cores.
pub const MOST_ASKED: f64 = 2.0;

/// The share of the reference's own speedup that "faster than sequential" never exceeds, so
/// a program as fast as the reference always reaches the first level (an exercise whose
/// serial part caps the reference at 1.6x asks at most 1.2x).
pub const REFERENCE_SHARE: f64 = 0.75;

/// "Within 1.5x of the reference": the learner's best time ÷ the reference's best time.
pub const NEAR_REFERENCE: f64 = 1.5;

/// "Within 1.2x of the reference".
pub const CLOSE_TO_REFERENCE: f64 = 1.2;

/// The speed levels, in order.
pub const LEVELS: [&str; 3] = [
    "faster than sequential",
    "within 1.5x of the reference",
    "within 1.2x of the reference",
];

/// The first line where the learner's output differs from the sequential version's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Difference {
    /// 1-based line.
    pub line: usize,
    /// The sequential version's line (`None`: its output ended before).
    pub expected: Option<String>,
    /// The learner's line (`None`: its output ended before).
    pub got: Option<String>,
}

/// The speed measured: best of `runs` runs each, interleaved.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Speed {
    /// Runs of each program.
    pub runs: usize,
    /// Sequential best ÷ learner best.
    pub speedup: f64,
    /// Learner best ÷ reference best (1.0 = as fast as the reference).
    pub vs_reference: f64,
    /// Sequential best ÷ reference best.
    pub reference_speedup: f64,
}

/// The thresholds the levels were judged by, stated with every verdict.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Thresholds {
    /// The cores the check ran on, which the first level scales with.
    pub cores: usize,
    /// Least speedup over sequential.
    pub faster_than_sequential: f64,
    /// Most learner ÷ reference for level 2.
    pub near_reference: f64,
    /// Most learner ÷ reference for level 3.
    pub close_to_reference: f64,
}

impl Default for Thresholds {
    /// Two cores' thresholds (the least any machine with parallelism asks).
    fn default() -> Self {
        Thresholds::for_machine(2, f64::INFINITY)
    }
}

impl Thresholds {
    /// The thresholds on `cores` cores when the reference reached `reference_speedup`: the
    /// first level asks 1 + 0.05 per core (1.1x on 2 cores, 1.8x on 16, at most 2x), never
    /// more than ¾ of the reference's own speedup and never under 1.1x; the levels against
    /// the reference are ratios of two programs on the same cores, so they stay as they are.
    /// Rounded to what the verdict prints, so the stated threshold is the one applied.
    pub fn for_machine(cores: usize, reference_speedup: f64) -> Thresholds {
        let by_cores = (1.0 + PER_CORE * cores as f64).clamp(FASTER, MOST_ASKED);
        let reachable = (REFERENCE_SHARE * reference_speedup).max(FASTER);
        Thresholds {
            cores,
            faster_than_sequential: (by_cores.min(reachable) * 100.0).round() / 100.0,
            near_reference: NEAR_REFERENCE,
            close_to_reference: CLOSE_TO_REFERENCE,
        }
    }

    /// The first level's rule, with the cores it was scaled for.
    pub fn faster_rule(&self) -> String {
        format!(
            "speedup ≥ {:.2} on {} cores",
            self.faster_than_sequential, self.cores
        )
    }
}

/// A check's whole answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// The exercise.
    pub id: String,
    /// The file checked.
    pub file: String,
    /// Whether it passed.
    pub passed: bool,
    /// What passing takes.
    pub pass_rule: Pass,
    /// Whether the output equals the sequential version's (`None`: it never finished).
    pub correct: Option<bool>,
    /// Why it did not finish or build, in one line (or a few for a build error).
    pub failure: Option<String>,
    /// Where a wrong answer first differs.
    pub first_difference: Option<Difference>,
    /// The ratios, when speed was measured.
    pub speed: Option<Speed>,
    /// Speed levels reached (0 to 3), when speed was measured.
    pub level: Option<usize>,
    /// The name of the highest level reached.
    pub level_name: Option<String>,
    /// The thresholds.
    pub thresholds: Thresholds,
    /// What the observer saw of the learner's program.
    pub observed: Option<Observed>,
    /// Why speed was not graded, when it was not.
    pub note: Option<String>,
}

/// How many levels the ratios reach under thresholds `t`.
pub fn level(s: &Speed, t: &Thresholds) -> usize {
    if s.speedup < t.faster_than_sequential {
        0
    } else if s.vs_reference > t.near_reference {
        1
    } else if s.vs_reference > t.close_to_reference {
        2
    } else {
        3
    }
}

/// The level `pass` needs.
pub fn needed(pass: Pass) -> usize {
    match pass {
        Pass::Correct => 0,
        Pass::Faster => 1,
        Pass::Reference => 2,
        Pass::Close => 3,
    }
}

/// What passing takes, in words.
pub fn rule_text(pass: Pass) -> &'static str {
    match pass {
        Pass::Correct => "a correct answer",
        Pass::Faster => "a correct answer, faster than sequential",
        Pass::Reference => "a correct answer, within 1.5x of the reference solution's time",
        Pass::Close => "a correct answer, within 1.2x of the reference solution's time",
    }
}

impl Verdict {
    /// A verdict on `file` for exercise `id` before anything ran: not passed, nothing known.
    pub fn new(id: &str, file: &str, pass_rule: Pass) -> Verdict {
        Verdict {
            id: id.to_string(),
            file: file.to_string(),
            passed: false,
            pass_rule,
            correct: None,
            failure: None,
            first_difference: None,
            speed: None,
            level: None,
            level_name: None,
            thresholds: Thresholds::default(),
            observed: None,
            note: None,
        }
    }

    /// Whether the speed measured says nothing: the reference solution itself was not faster
    /// than sequential, so the machine gave the programs no parallelism (other load, a CPU
    /// quota). A learner is then neither passed nor failed on speed: check again when quieter.
    pub fn inconclusive(&self) -> bool {
        self.speed
            .as_ref()
            .is_some_and(|s| s.reference_speedup < FASTER)
    }

    /// The verdict in a few words, for a line that has no room for more (the dashboard's
    /// footer while a watch re-checks): "passed, level 2 of 3", "wrong answer at line 1".
    pub fn headline(&self) -> String {
        let level = self.level.map_or(String::new(), |l| {
            format!(", level {l} of {}", LEVELS.len())
        });
        if let Some(f) = &self.failure {
            return format!("not passed: {}", f.lines().next().unwrap_or(""));
        }
        if let Some(d) = &self.first_difference {
            return format!("not passed: wrong answer at line {}", d.line);
        }
        match (self.passed, self.inconclusive()) {
            (true, _) => format!("passed{level}"),
            (false, true) => "correct; speed could not be judged (a busy machine)".into(),
            (false, false) => format!("correct but not fast enough yet{level}"),
        }
    }

    /// The verdict for people.
    pub fn table(&self) -> String {
        let mut o = format!("exercise {} · {}\n", self.id, self.file);
        if let Some(f) = &self.failure {
            o.push_str(&format!("✗ {f}\n"));
        }
        match (self.correct, &self.first_difference) {
            (Some(true), _) => {
                o.push_str("✓ correct: the output equals the sequential version's\n")
            }
            (Some(false), Some(d)) => {
                let show =
                    |l: &Option<String>| l.clone().unwrap_or_else(|| "(output ended)".into());
                o.push_str(&format!(
                    "✗ wrong answer: line {} differs from the sequential version's\n    expected: {}\n    got:      {}\n  (a wrong answer is not graded on speed)\n",
                    d.line,
                    show(&d.expected),
                    show(&d.got)
                ));
            }
            _ => {}
        }
        if let Some(s) = &self.speed {
            o.push_str(&format!(
                "speed, best of {} runs each, interleaved: {}; {:.2}x the reference's time (the reference: {})\n",
                s.runs,
                than_sequential(s.speedup),
                s.vs_reference,
                than_sequential(s.reference_speedup)
            ));
            let reached = self.level.unwrap_or(0);
            let t = &self.thresholds;
            let rules = [
                t.faster_rule(),
                format!("time ≤ {:.1}x the reference's", t.near_reference),
                format!("time ≤ {:.1}x the reference's", t.close_to_reference),
            ];
            for (i, (name, rule)) in LEVELS.iter().zip(rules).enumerate() {
                let mark = if i < reached { "✓" } else { "·" };
                o.push_str(&format!("  {mark} {name} ({rule})\n"));
            }
        }
        if let Some(n) = &self.note {
            o.push_str(&format!("{n}\n"));
        }
        if let Some(obs) = &self.observed {
            o.push_str(&format!("observed: {}\n", obs.describe()));
        }
        if self.passed {
            o.push_str(&format!("PASSED (needs {})\n", rule_text(self.pass_rule)));
        } else {
            o.push_str(&format!(
                "NOT PASSED (needs {}). A hint: parlab exercise hint {}\n",
                rule_text(self.pass_rule),
                self.id
            ));
        }
        o
    }
}

/// The first line where `got` differs from `expected`.
pub fn first_difference(expected: &[String], got: &[String]) -> Option<Difference> {
    let n = expected.len().max(got.len());
    (0..n)
        .find(|&i| expected.get(i) != got.get(i))
        .map(|i| Difference {
            line: i + 1,
            expected: expected.get(i).cloned(),
            got: got.get(i).cloned(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn differences() {
        assert_eq!(first_difference(&s(&["a", "b"]), &s(&["a", "b"])), None);
        let d = first_difference(&s(&["a", "b"]), &s(&["a", "c"])).unwrap();
        assert_eq!((d.line, d.got.as_deref()), (2, Some("c")));
        let d = first_difference(&s(&["a", "b"]), &s(&["a"])).unwrap();
        assert_eq!((d.line, d.got), (2, None));
    }

    #[test]
    fn levels() {
        let sp = |speedup, vs_reference| Speed {
            runs: 3,
            speedup,
            vs_reference,
            reference_speedup: 1.8,
        };
        let t = Thresholds::default();
        assert_eq!(level(&sp(1.0, 1.0), &t), 0);
        assert_eq!(level(&sp(1.3, 1.6), &t), 1);
        assert_eq!(level(&sp(1.5, 1.3), &t), 2);
        assert_eq!(level(&sp(1.8, 1.05), &t), 3);
        assert_eq!(needed(Pass::Reference), 2);
        // On 16 cores 1.3x is not yet "faster than sequential" when the reference got 8x.
        let t16 = Thresholds::for_machine(16, 8.0);
        assert_eq!(level(&sp(1.3, 1.6), &t16), 0);
        assert_eq!(level(&sp(1.9, 1.6), &t16), 1);
    }

    #[test]
    fn the_first_level_scales_with_cores_but_stays_reachable() {
        let f = |cores, r| Thresholds::for_machine(cores, r).faster_than_sequential;
        assert_eq!(f(1, 1.5), 1.1);
        assert_eq!(f(2, 1.9), 1.1);
        assert_eq!(f(4, 3.5), 1.2);
        assert_eq!(f(16, 12.0), 1.8);
        assert_eq!(f(256, 200.0), 2.0);
        // A reference capped at 1.6x by its serial part: ¾ of it.
        assert_eq!(f(16, 1.6), 1.2);
        // Never under 1.1x, however slow the reference.
        assert_eq!(f(16, 1.0), 1.1);
        assert_eq!(
            Thresholds::for_machine(16, 12.0).faster_rule(),
            "speedup ≥ 1.80 on 16 cores"
        );
    }

    #[test]
    fn headlines() {
        let mut v = Verdict {
            correct: Some(true),
            passed: true,
            level: Some(2),
            ..Verdict::new("x", "f", Pass::Reference)
        };
        assert_eq!(v.headline(), "passed, level 2 of 3");
        v.passed = false;
        v.level = Some(1);
        assert_eq!(
            v.headline(),
            "correct but not fast enough yet, level 1 of 3"
        );
        v.first_difference = first_difference(&s(&["a"]), &s(&["b"]));
        assert_eq!(v.headline(), "not passed: wrong answer at line 1");
        v.failure = Some("your program ran past the 20 s time limit\nmore".into());
        assert_eq!(
            v.headline(),
            "not passed: your program ran past the 20 s time limit"
        );
    }

    #[test]
    fn speed_on_a_machine_without_parallelism_is_not_judged() {
        let mut v = Verdict {
            correct: Some(true),
            ..Verdict::new("x", "f", Pass::Reference)
        };
        assert!(!v.inconclusive(), "no speed measured");
        let sp = |reference_speedup| Speed {
            runs: 3,
            speedup: 1.0,
            vs_reference: 1.0,
            reference_speedup,
        };
        v.speed = Some(sp(0.97));
        assert!(v.inconclusive());
        v.speed = Some(sp(1.6));
        assert!(!v.inconclusive());
    }
}

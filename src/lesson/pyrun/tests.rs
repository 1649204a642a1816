use super::*;

pub fn sample(lesson: &str, at: u64) -> PyRun {
    PyRun {
        lesson: lesson.into(),
        at,
        wall_ms: 1234.4,
        cpu_ms: 2300.0,
        busy_workers: 1.86,
        wait_cpu_share: Some(0.12),
        peak_rss: 36 << 20,
        process_count: 3,
        processes: vec![PyProcess {
            name: "MainProcess".into(),
            cpu_ms: 40.0,
            peak_rss: 12 << 20,
        }],
        exit: "exit code 0".into(),
        ok: true,
    }
}

#[test]
fn runs_round_trip_one_per_lesson_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE);
    assert_eq!(read(&path), Ok(Vec::new()));
    record(&path, sample("pool", 1)).unwrap();
    let mut again = sample("pool", 2);
    again.wall_ms = 99.0;
    record(&path, again.clone()).unwrap();
    assert_eq!(read(&path).unwrap(), vec![again]);
    for i in 0..MAX_LESSONS as u64 + 5 {
        record(&path, sample(&format!("l{i}"), 10 + i)).unwrap();
    }
    let runs = read(&path).unwrap();
    assert_eq!(runs.len(), MAX_LESSONS);
    // The newest kept, the oldest (and "pool") dropped.
    assert!(
        runs.iter()
            .any(|r| r.lesson == format!("l{}", MAX_LESSONS + 4))
    );
    assert!(runs.iter().all(|r| r.lesson != "pool"));
}

#[test]
fn a_corrupt_file_is_set_aside_and_odd_figures_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE);
    std::fs::write(&path, "{ not json").unwrap();
    let (runs, warn) = load(&path);
    assert!(runs.is_empty());
    assert!(warn.unwrap().contains("set aside"));
    assert!(dir.path().join(format!("{FILE}.corrupt")).exists());
    let mut odd = sample("odd", 1);
    odd.wall_ms = -1.0;
    let file = PyRunsFile {
        version: 1,
        runs: vec![odd, sample("fine", 2)],
    };
    std::fs::write(&path, serde_json::to_vec(&file).unwrap()).unwrap();
    let runs = read(&path).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].lesson, "fine");
}

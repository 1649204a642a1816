use std::time::Duration;

use super::*;

#[test]
fn sleepers_are_read_within_100_ms() {
    assert_eq!(sleeper_every(Duration::from_millis(20)), 4);
    assert_eq!(sleeper_every(Duration::from_millis(50)), 2);
    assert_eq!(sleeper_every(Duration::from_millis(500)), 1);
    for ms in [5, 20, 25, 33, 50, 100, 1000] {
        let d = Duration::from_millis(ms);
        assert!(d * sleeper_every(d) <= SLEEPER_LATENCY.max(d), "{ms} ms");
    }
}

/// Both ways read the same tree: this test process and a child that sleeps.
#[test]
fn frugal_and_plain_read_the_same_tree() {
    let mut child = std::process::Command::new("sleep")
        .arg("5")
        .spawn()
        .unwrap();
    let me = std::process::id();
    let mut frugal = Reader::new(Reading::Frugal, 4);
    let mut plain = Reader::new(Reading::Plain, 4);
    for _ in 0..6 {
        let a: Vec<(u32, usize)> = frugal
            .read(me)
            .iter()
            .map(|p| (p.pid, p.threads.len()))
            .collect();
        let b: Vec<(u32, usize)> = plain
            .read(me)
            .iter()
            .map(|p| (p.pid, p.threads.len()))
            .collect();
        assert_eq!(a[0].0, me);
        assert!(a.iter().any(|p| p.0 == child.id()), "{a:?}");
        assert!(b.iter().any(|p| p.0 == child.id()), "{b:?}");
        std::thread::sleep(Duration::from_millis(5));
    }
    let sleeper = frugal
        .read(me)
        .iter()
        .find(|p| p.pid == child.id())
        .cloned()
        .unwrap();
    assert_eq!(sleeper.comm, "sleep");
    assert_eq!(sleeper.cmdline, "sleep 5");
    assert_eq!(sleeper.threads[0].state, 'S');
    assert!(frugal.slots.iter().map(ProcSlot::open).sum::<usize>() > 0);
    assert_eq!(plain.slots.iter().map(ProcSlot::open).sum::<usize>(), 0);
    child.kill().unwrap();
    child.wait().unwrap();
    for _ in 0..3 {
        let gone = frugal.read(me).iter().all(|p| p.pid != child.id());
        if gone {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the ended child stayed in the readings");
}

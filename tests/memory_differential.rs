//! MemoryHandler against CPython 3's `logging.handlers.MemoryHandler`
//! (tests/oracle/memory_oracle.py): a few hundred random sequences of
//! records, levels, flushes and target changes, with random capacity,
//! flushLevel, flushOnClose and levels on the handler and its two targets,
//! must hand the same records to the same targets in the same order.
//! `SAWMILL_MEMORY_SEED` sets the seed (default 20261203).

use std::borrow::Cow;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use sawmill::handler::memory::{self, MemoryOptions};
use sawmill::handler::{CallbackSink, Handler};
use sawmill::{Formatter, Record, Style};
use serde_json::{json, Value as Json};

const SEQUENCES: usize = 300;

/// A small deterministic generator (xorshift64*), so a failure repeats.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const LEVELS: [i64; 7] = [5, 10, 20, 30, 40, 50, 0];

fn level(rng: &mut Rng) -> i64 {
    LEVELS[rng.below(LEVELS.len() as u64) as usize]
}

fn sequence(rng: &mut Rng) -> Json {
    let mut ops = Vec::new();
    let count = 1 + rng.below(60);
    for n in 0..count {
        match rng.below(20) {
            0 => ops.push(json!(["flush"])),
            1 => ops.push(json!(["target", if rng.below(2) == 0 { "A" } else { "B" }])),
            _ => {
                let lv = level(rng).max(1);
                ops.push(json!([
                    "log",
                    lv,
                    format!("message {n}"),
                    1 + rng.below(999)
                ]))
            }
        }
    }
    if rng.below(2) == 0 {
        ops.push(json!(["close"]));
    }
    let handler_level = [0, 0, 10, 20, 30][rng.below(5) as usize];
    json!({
        "capacity": rng.below(12),
        "flush_level": level(rng),
        "flush_on_close": rng.below(2) == 0,
        "handler_level": handler_level,
        "levels": {"A": level(rng), "B": level(rng)},
        "ops": ops,
    })
}

fn capture(tag: &'static str, level: i64, out: Arc<Mutex<Vec<String>>>) -> Arc<Handler> {
    let emit = Box::new(move |_: &Record<'_>, text: &str| {
        out.lock().unwrap().push(format!("{tag}|{text}"));
        Ok(())
    });
    let handler = Handler::new(Box::new(CallbackSink::new(emit, None)));
    handler.set_level(level as i32);
    let formatter = Formatter::new(
        Some("%(levelname)s|%(message)s|%(lineno)d"),
        None,
        Style::Percent,
    )
    .unwrap();
    handler.set_formatter(Some(Arc::new(formatter)));
    handler
}

fn run(seq: &Json, index: usize) -> Vec<String> {
    let out = Arc::new(Mutex::new(Vec::new()));
    let a = capture("A", seq["levels"]["A"].as_i64().unwrap(), out.clone());
    let b = capture("B", seq["levels"]["B"].as_i64().unwrap(), out.clone());
    let handler = memory::memory_handler(MemoryOptions {
        capacity: seq["capacity"].as_u64().unwrap() as usize,
        flush_level: seq["flush_level"].as_i64().unwrap() as i32,
        target: Some(a.clone()),
        flush_on_close: seq["flush_on_close"].as_bool().unwrap(),
    });
    handler.set_level(seq["handler_level"].as_i64().unwrap() as i32);
    let logger = sawmill::get_logger(&format!("mem.{index}"));
    logger.set_propagate(false);
    logger.set_level(1);
    logger.add_handler(handler.clone());
    for op in seq["ops"].as_array().unwrap() {
        match op[0].as_str().unwrap() {
            "log" => {
                let mut record = Record::new(
                    logger.name(),
                    op[1].as_i64().unwrap() as i32,
                    Some("/src/app.c"),
                    op[3].as_u64().unwrap() as u32,
                    Some("fn"),
                    Cow::Borrowed(op[2].as_str().unwrap()),
                );
                logger.handle(&mut record);
            }
            "flush" => handler.flush().unwrap(),
            "target" => {
                let t = if op[1] == "A" { &a } else { &b };
                memory::set_target(&handler, Some(t.clone())).unwrap();
            }
            "close" => handler.close().unwrap(),
            other => panic!("unknown op {other}"),
        }
    }
    logger.remove_handler(&handler);
    let got = out.lock().unwrap().clone();
    got
}

#[test]
fn same_target_output_as_cpython() {
    let seed = std::env::var("SAWMILL_MEMORY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261203u64);
    let mut rng = Rng(seed | 1);
    let sequences: Vec<Json> = (0..SEQUENCES).map(|_| sequence(&mut rng)).collect();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracle/memory_oracle.py");
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    let input = serde_json::to_vec(&Json::Array(sequences.clone())).unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(&input).unwrap();
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "the oracle failed");
    let want: Vec<Vec<String>> = serde_json::from_slice(&output.stdout).unwrap();
    let mut records = 0;
    for (i, seq) in sequences.iter().enumerate() {
        let got = run(seq, i);
        assert_eq!(got, want[i], "sequence {i} (seed {seed}): {seq}");
        records += got.len();
    }
    assert!(
        records > 1000,
        "too few records reached a target: {records}"
    );
}

#[test]
fn flushed_records_keep_their_time_thread_and_location() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink_seen = seen.clone();
    let emit = Box::new(move |r: &Record<'_>, _: &str| {
        sink_seen.lock().unwrap().push((
            r.created,
            r.thread,
            r.thread_name.to_string(),
            r.lineno,
            r.func_name().to_owned(),
        ));
        Ok(())
    });
    let target = Handler::new(Box::new(CallbackSink::new(emit, None)));
    let handler = memory::memory_handler(MemoryOptions {
        capacity: 10,
        target: Some(target),
        ..MemoryOptions::default()
    });
    let logger = sawmill::get_logger("mem.identity");
    logger.set_propagate(false);
    logger.set_level(1);
    logger.add_handler(handler.clone());
    let (created, thread) = std::thread::Builder::new()
        .name("producer".into())
        .spawn(move || {
            let mut record = Record::new(
                logger.name(),
                sawmill::INFO,
                Some("/src/a.c"),
                42,
                Some("work"),
                Cow::Borrowed("buffered"),
            );
            let stamp = (record.created, record.thread);
            logger.handle(&mut record);
            stamp
        })
        .unwrap()
        .join()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    handler.flush().unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, created);
    assert_eq!(seen[0].1, thread);
    assert_ne!(seen[0].1, sawmill::record::current_thread().0);
    assert_eq!(seen[0].3, 42);
    assert_eq!(seen[0].4, "work");
}

#[test]
fn without_a_target_the_buffer_is_bounded_and_drops_are_counted() {
    let handler = memory::memory_handler(MemoryOptions {
        capacity: 3,
        ..MemoryOptions::default()
    });
    let logger = sawmill::get_logger("mem.bounded");
    logger.set_propagate(false);
    logger.add_handler(handler.clone());
    for i in 0..10 {
        logger.log(sawmill::WARNING, None, 0, None, &format!("r{i}"));
    }
    assert_eq!(handler.dropped_count(), 7);
    let out = Arc::new(Mutex::new(Vec::new()));
    let target = capture("T", 0, out.clone());
    memory::set_target(&handler, Some(target)).unwrap();
    handler.flush().unwrap();
    let got = out.lock().unwrap().clone();
    assert_eq!(got.len(), 3);
    assert!(got[0].starts_with("T|WARNING|r7|"), "{got:?}");
}

#[test]
fn a_target_cycle_is_refused() {
    let a = memory::memory_handler(MemoryOptions::default());
    let b = memory::memory_handler(MemoryOptions {
        target: Some(a.clone()),
        ..MemoryOptions::default()
    });
    assert!(memory::set_target(&a, Some(b.clone())).is_err());
    assert!(memory::set_target(&a, Some(a.clone())).is_err());
    let null = sawmill::handler::null_handler();
    assert!(memory::set_target(&a, Some(null)).is_ok());
}

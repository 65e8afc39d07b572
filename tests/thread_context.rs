//! Thread context (MDC): 8 threads, each with its own context and a per-record
//! scoped entry, log 100 k records each through one shared handler; every
//! record carries its own thread's context (read back through the formatter
//! as `%(key)s`), never another thread's.

use std::borrow::Cow;
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use sawmill::context;
use sawmill::format::{Formatter, Style};
use sawmill::handler::{CallbackSink, Handler};
use sawmill::record::{Record, Value};

const THREADS: u64 = 8;
const RECORDS: u64 = 100_000;

thread_local! {
    /// The sequence number the next record of this thread must carry.
    static EXPECTED_SEQ: Cell<u64> = const { Cell::new(0) };
}

#[test]
fn every_record_carries_its_own_threads_context() {
    let checked = Arc::new(AtomicU64::new(0));
    let wrong = Arc::new(AtomicU64::new(0));
    let (c, w) = (checked.clone(), wrong.clone());
    let emit = Box::new(move |record: &Record<'_>, text: &str| {
        let Some(Value::Int(tid)) = record.extra("tid") else {
            w.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        };
        let seq = EXPECTED_SEQ.with(|s| s.replace(s.get() + 1));
        let expected = format!("{tid}|u{tid}|{seq}|call|t{tid}");
        if text != expected || record.message != format!("t{tid}") {
            w.fetch_add(1, Ordering::Relaxed);
        }
        c.fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    let handler = Handler::new(Box::new(CallbackSink::new(emit, None)));
    let formatter = Formatter::new(
        Some("%(tid)s|%(user)s|%(seq)s|%(ip)s|%(message)s"),
        None,
        Style::Percent,
    )
    .unwrap();
    handler.set_formatter(Some(Arc::new(formatter)));
    let logger = sawmill::manager::get_logger("thread_context_test");
    logger.set_level(10);
    logger.set_propagate(false);
    logger.add_handler(handler);

    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            std::thread::spawn(move || {
                let _tid = context::scope("tid", Value::Int(t as i64));
                let _user = context::scope("user", Value::Str(format!("u{t}").into()));
                // Shadowed by the call's own key below: the call wins.
                let _ip = context::scope("ip", Value::Str("context".into()));
                let message = format!("t{t}");
                for seq in 0..RECORDS {
                    let _seq = context::scope("seq", Value::Int(seq as i64));
                    let mut record =
                        Record::new(logger.name(), 20, None, 0, None, Cow::Borrowed(&message));
                    record.set_extra("ip", Value::Str("call".into()));
                    logger.handle(&mut record);
                }
                drop(_ip);
                assert_eq!(context::snapshot().len(), 2);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(checked.load(Ordering::Relaxed), THREADS * RECORDS);
    assert_eq!(wrong.load(Ordering::Relaxed), 0);

    // A thread that never pushed has an empty context.
    assert!(std::thread::spawn(context::snapshot)
        .join()
        .unwrap()
        .is_empty());
}

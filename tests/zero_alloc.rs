//! Heap allocations per record on the synchronous path, counted by a global
//! allocator: none in steady state, and none at all for a disabled call
//! (through the Rust API and through the C entry points and shim).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ffi::{c_char, c_int};
use std::sync::Arc;

use sawmill::format::{Formatter, Style};
use sawmill::handler::{self, Buffering, FileOptions};

struct CountingAllocator;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; only counts on the side.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = COUNTING.try_with(|c| {
            if c.get() {
                ALLOCATIONS.with(|a| a.set(a.get() + 1));
            }
        });
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = COUNTING.try_with(|c| {
            if c.get() {
                ALLOCATIONS.with(|a| a.set(a.get() + 1));
            }
        });
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Allocations made by `f` on this thread.
fn allocations_in(f: impl FnOnce()) -> usize {
    ALLOCATIONS.with(|a| a.set(0));
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    ALLOCATIONS.with(|a| a.get())
}

extern "C" {
    fn sawmill_get_logger(name: *const c_char) -> *mut std::ffi::c_void;
    fn sawmill_log(
        l: *mut std::ffi::c_void,
        level: c_int,
        file: *const c_char,
        line: c_int,
        func: *const c_char,
        msg: *const c_char,
    ) -> c_int;
    fn sawmill_logf(
        l: *mut std::ffi::c_void,
        level: c_int,
        file: *const c_char,
        line: c_int,
        func: *const c_char,
        fmt: *const c_char,
        ...
    ) -> c_int;
}

const BENCH_FORMAT: &str = "%(asctime)s - %(name)s - %(levelname)s - %(message)s";

fn temp_path(tag: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("sawmill-zero-alloc-{tag}-{}", std::process::id()))
}

#[test]
fn the_counter_counts() {
    assert_eq!(
        allocations_in(|| drop(std::hint::black_box(vec![1u8; 10]))),
        1
    );
}

#[test]
fn disabled_calls_do_not_allocate() {
    let logger = sawmill::get_logger("zero.disabled");
    logger.set_level(sawmill::ERROR);
    // SAFETY: valid NUL-terminated strings; the logger handle comes from sawmill.
    let c_logger = unsafe { sawmill_get_logger(c"zero.disabled".as_ptr()) };
    let n = allocations_in(|| {
        for i in 0..10_000 {
            logger.log(sawmill::DEBUG, Some(file!()), line!(), Some("f"), "never");
            // SAFETY: as above; the integer matches %d.
            unsafe {
                sawmill_log(
                    c_logger,
                    10,
                    c"f.c".as_ptr(),
                    1,
                    c"f".as_ptr(),
                    c"never".as_ptr(),
                );
                sawmill_logf(
                    c_logger,
                    10,
                    c"f.c".as_ptr(),
                    1,
                    c"f".as_ptr(),
                    c"n=%d".as_ptr(),
                    i as c_int,
                );
            }
        }
    });
    assert_eq!(n, 0, "disabled calls allocated {n} times");
}

fn steady_state_allocations(logger: &'static sawmill::Logger, c_name: &std::ffi::CStr) -> usize {
    // SAFETY: a valid NUL-terminated name.
    let c_logger = unsafe { sawmill_get_logger(c_name.as_ptr()) };
    let log_some = |count: usize| {
        for i in 0..count {
            logger.log(
                sawmill::INFO,
                Some("/src/app/main.c"),
                42,
                Some("main"),
                "Hello logger: msg number",
            );
            // SAFETY: valid strings; the integer matches %d.
            unsafe {
                sawmill_logf(
                    c_logger,
                    20,
                    c"main.c".as_ptr(),
                    7,
                    c"main".as_ptr(),
                    c"Hello logger: msg number %d".as_ptr(),
                    i as c_int,
                );
            }
        }
    };
    log_some(100); // warm-up: buffers, caches, thread identity
    allocations_in(|| log_some(10_000))
}

#[test]
fn file_handler_path_is_allocation_free_in_steady_state() {
    for (tag, buffering) in [
        ("write-through", Buffering::WRITE_THROUGH),
        (
            "buffered",
            Buffering {
                capacity: 64 * 1024,
                flush_level: sawmill::ERROR,
                flush_interval: std::time::Duration::ZERO,
            },
        ),
    ] {
        let path = temp_path(tag);
        let name = format!("zero.file.{tag}");
        let logger = sawmill::get_logger(&name);
        logger.set_level(sawmill::DEBUG);
        logger.set_propagate(false);
        let mut options = FileOptions::new(&path);
        options.buffering = buffering;
        let h = handler::file_handler(options).expect("file handler");
        h.set_formatter(Some(Arc::new(
            Formatter::new(Some(BENCH_FORMAT), None, Style::Percent).expect("format"),
        )));
        logger.add_handler(h.clone());
        let c_name = std::ffi::CString::new(name).expect("name");
        let n = steady_state_allocations(logger, &c_name);
        h.close().expect("close");
        let lines = std::fs::read_to_string(&path).expect("log").lines().count();
        std::fs::remove_file(&path).expect("cleanup");
        assert_eq!(lines, 2 * 10_100, "{tag}: every record written");
        assert_eq!(n, 0, "{tag}: {n} allocations over 20,000 records");
    }
}

#[test]
fn hierarchy_path_is_allocation_free_in_steady_state() {
    let path_top = temp_path("tree-top");
    let path_mid = temp_path("tree-mid");
    let top = sawmill::get_logger("ztree");
    let mid = sawmill::get_logger("ztree.b");
    let leaf = sawmill::get_logger("ztree.b.c");
    top.set_propagate(false);
    leaf.set_level(sawmill::DEBUG);
    let formatter =
        Arc::new(Formatter::new(Some(BENCH_FORMAT), None, Style::Percent).expect("format"));
    let h_top = handler::file_handler(FileOptions::new(&path_top)).expect("top");
    let h_mid = handler::file_handler(FileOptions::new(&path_mid)).expect("mid");
    h_top.set_formatter(Some(formatter.clone()));
    h_mid.set_formatter(Some(formatter));
    top.add_handler(h_top.clone());
    mid.add_handler(h_mid.clone());
    let n = steady_state_allocations(leaf, c"ztree.b.c");
    for (h, p) in [(h_top, path_top), (h_mid, path_mid)] {
        h.close().expect("close");
        assert_eq!(
            std::fs::read_to_string(&p).expect("log").lines().count(),
            2 * 10_100
        );
        std::fs::remove_file(p).expect("cleanup");
    }
    assert_eq!(n, 0, "{n} allocations over 20,000 records through 3 levels");
}

#[test]
fn queue_handler_caller_side_is_allocation_free_once_warm() {
    use sawmill::handler::queue::{self, QueueOptions};
    use std::sync::atomic::{AtomicBool, Ordering};
    const SLOTS: usize = 256;
    // The handler waits while `gate` is shut, so the warm-up fills the
    // ring and the pool of buffers reaches its working size.
    let gate = Arc::new(AtomicBool::new(false));
    let open = gate.clone();
    let emit = Box::new(move |_: &sawmill::Record<'_>, _: &str| {
        while !open.load(Ordering::Acquire) {
            std::thread::yield_now();
        }
        Ok(())
    });
    let target = sawmill::Handler::new(Box::new(handler::CallbackSink::new(emit, None)));
    let q = queue::queue_handler(QueueOptions {
        handlers: vec![target],
        maxsize: SLOTS,
        ..QueueOptions::default()
    });
    let logger = sawmill::get_logger("zero.queue");
    logger.set_level(sawmill::DEBUG);
    logger.set_propagate(false);
    logger.add_handler(q.clone());
    let log = |n: usize| {
        for _ in 0..n {
            logger.log(
                sawmill::INFO,
                Some("/src/app/main.c"),
                42,
                Some("main"),
                "Hello logger",
            );
        }
    };
    log(SLOTS + 1); // the ring full, one record in the handler
    gate.store(true, Ordering::Release);
    q.flush().expect("flush");
    let n = allocations_in(|| {
        log(10_000);
        q.flush().expect("flush");
    });
    // The warm-up leaves 257 buffers (256 in the ring, one in the handler).
    // When the listener is slow the caller can hold one more while the ring
    // is full and the handler has one: the pool may need one buffer more,
    // never more, and a new buffer is two allocations (it and its text).
    assert!(
        n <= 2,
        "{n} allocations over 10,000 records through the queue"
    );
}

//! Fork while another thread is inside the logger registry's one-time
//! set-up (this process's first get_logger, slowed to 600 ms): the child
//! must finish the set-up itself and log, not wait for a thread it does not
//! have. Alone in its test binary: any other test calling into sawmill
//! first would run the set-up before this one could slow it.

mod common;
use common::{fork_when, wait_exit_ok};

use std::time::Duration;

use sawmill::handler::{self, FileOptions};
use sawmill::sync::{slow_next_set_up_for_tests, slow_set_up_running_for_tests};

#[test]
fn child_finishes_the_registry_set_up_a_parent_thread_was_running() {
    // The registry's set-up sleeps 600 ms in another thread while we fork;
    // the child's handler needs the registry, and so does its get_logger.
    let path = std::env::temp_dir().join(format!("sawmill-fork-once-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&path);
    slow_next_set_up_for_tests(600);
    let parent = std::thread::spawn(|| sawmill::get_logger("once.parent").name().to_owned());
    let child_path = path.clone();
    let pid = fork_when(&slow_set_up_running_for_tests, &|| {
        let logger = sawmill::get_logger("once.child");
        let h = handler::file_handler(FileOptions::new(&child_path)).expect("file handler");
        logger.add_handler(h.clone());
        logger.log(sawmill::ERROR, None, 0, None, "child logged");
        h.close().expect("close");
    });
    wait_exit_ok(pid, Duration::from_secs(20), "registry set-up");
    assert_eq!(parent.join().expect("parent thread"), "once.parent");
    let text = std::fs::read_to_string(&path).expect("child's log");
    assert_eq!(text, "child logged\n");
    std::fs::remove_file(&path).expect("cleanup");
}

//! Fork while other threads log: the child must be able to log at once and
//! exit, never deadlock on a lock a vanished thread held (200 forks).

mod common;
use common::fork_while_two_threads_log;

use std::sync::Arc;

use sawmill::format::{Formatter, Style};
use sawmill::handler::{self, FileOptions};

#[test]
fn children_log_while_parent_threads_log() {
    let path = std::env::temp_dir().join(format!("sawmill-fork-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let logger = sawmill::get_logger("forky");
    logger.set_level(sawmill::DEBUG);
    logger.set_propagate(false);
    let h = handler::file_handler(FileOptions::new(&path)).expect("file handler");
    h.set_formatter(Some(Arc::new(
        Formatter::new(
            Some("%(asctime)s %(process)d %(threadName)s %(message)s"),
            None,
            Style::Percent,
        )
        .expect("fmt"),
    )));
    logger.add_handler(h.clone());

    let forks = 200;
    fork_while_two_threads_log(logger, forks, "plain");
    h.close().expect("close");
    let text = std::fs::read_to_string(&path).expect("log");
    for i in 0..forks {
        assert!(
            text.contains(&format!(" child {i}\n")),
            "child {i}'s line is in the file"
        );
    }
    std::fs::remove_file(&path).expect("cleanup");
}

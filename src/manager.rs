//! The registry of loggers (Python's `Manager`): one logger per name,
//! placeholders for names only seen as ancestors, parent/child fix-ups, the
//! effective-level cache, the last-resort handler and shutdown.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::sync::{ForkOnce, Lock};

use crate::handler::{self, Handler};
use crate::level;
use crate::logger::Logger;

enum Node {
    Logger(&'static Logger),
    /// A name that so far exists only as an ancestor of these loggers.
    Placeholder(Vec<&'static Logger>),
}

struct Registry {
    nodes: HashMap<String, Node>,
    /// Every logger, root first, for refreshing cached levels.
    all: Vec<&'static Logger>,
}

fn registry() -> &'static Lock<Registry> {
    static REGISTRY: ForkOnce<Lock<Registry>> = ForkOnce::new();
    REGISTRY.get_or_init(|| {
        Lock::new(Registry {
            nodes: HashMap::new(),
            all: vec![root()],
        })
    })
}

/// The root logger (level WARNING, named `root`).
pub fn root() -> &'static Logger {
    static ROOT: ForkOnce<&'static Logger> = ForkOnce::new();
    ROOT.get_or_init(|| Box::leak(Box::new(Logger::new("root", level::WARNING))))
}

/// Python's `logging.getLogger(name)`: the same logger for the same name;
/// `""` and `"root"` are the root logger (as in Python 3.9+).
pub fn get_logger(name: &str) -> &'static Logger {
    if name.is_empty() || name == "root" {
        return root();
    }
    let mut reg = registry().lock();
    let waiting_children = match reg.nodes.get(name) {
        Some(Node::Logger(logger)) => return logger,
        Some(Node::Placeholder(children)) => children.clone(),
        None => Vec::new(),
    };
    let leaked_name: &'static str = Box::leak(name.to_owned().into_boxed_str());
    let logger: &'static Logger = Box::leak(Box::new(Logger::new(leaked_name, level::NOTSET)));
    reg.nodes.insert(name.to_owned(), Node::Logger(logger));
    reg.all.push(logger);
    fix_up_children(&waiting_children, logger);
    fix_up_parents(&mut reg, logger);
    logger.refresh_threshold();
    logger
}

/// Python's `_fixupParents`: find the nearest existing ancestor, leaving
/// placeholders (that remember this logger) for the missing names between.
fn fix_up_parents(reg: &mut Registry, logger: &'static Logger) {
    let name = logger.name();
    let mut parent = None;
    let mut end = name.len();
    while let Some(dot) = name[..end].rfind('.') {
        let ancestor = &name[..dot];
        end = dot;
        if ancestor.is_empty() {
            continue;
        }
        match reg.nodes.get_mut(ancestor) {
            None => {
                reg.nodes
                    .insert(ancestor.to_owned(), Node::Placeholder(vec![logger]));
            }
            Some(Node::Placeholder(children)) => {
                if !children.iter().any(|c| std::ptr::eq(*c, logger)) {
                    children.push(logger);
                }
            }
            Some(Node::Logger(existing)) => {
                parent = Some(*existing);
                break;
            }
        }
    }
    logger.set_parent(Some(parent.unwrap_or_else(root)));
}

/// Python's `_fixupChildren`: loggers that were waiting under the placeholder
/// now hang below `logger` unless they already have a parent below it.
fn fix_up_children(children: &[&'static Logger], logger: &'static Logger) {
    let name = logger.name();
    for child in children {
        let parent = child.parent().unwrap_or_else(root);
        if !parent.name().starts_with(name) {
            logger.set_parent(Some(parent));
            child.set_parent(Some(logger));
        }
    }
}

/// Every logger created so far (root first). Placeholders are not loggers.
pub fn all_loggers() -> Vec<&'static Logger> {
    registry().lock().all.clone()
}

/// Recomputes every logger's cached threshold. Called on any level change,
/// `disable` and hierarchy change; rare next to logging calls.
pub fn refresh_effective_levels() {
    let reg = registry().lock();
    for logger in &reg.all {
        logger.store_threshold();
    }
    crate::adapter::refresh_thresholds(None);
}

/// Python's `lastResort`: stderr, WARNING, `%(message)s`, used when a record
/// finds no handler at all.
pub fn last_resort() -> &'static Arc<Handler> {
    static LAST: ForkOnce<Arc<Handler>> = ForkOnce::new();
    LAST.get_or_init(|| {
        let h = handler::stream_handler(2);
        h.set_level(level::WARNING);
        h
    })
}

static SHUTDOWN_REGISTERED: AtomicBool = AtomicBool::new(false);
/// Set when the exit-time flush has run (see `shutdown_at_exit`).
static EXIT_FLUSHED: AtomicBool = AtomicBool::new(false);

/// Whether the process is past sawmill's exit-time flush: from then on
/// every handler writes each record through.
pub fn exit_flushed() -> bool {
    EXIT_FLUSHED.load(Ordering::Relaxed)
}

/// At normal exit: flush every handler and switch it to write-through,
/// without closing it. Code that runs later in the exit sequence (an atexit
/// function registered before sawmill's first use, a C++ static destructor)
/// may still log, and its records then reach the file at once instead of
/// waiting in a buffer nobody flushes again (or finding a "w" file closed).
extern "C" fn shutdown_at_exit() {
    EXIT_FLUSHED.store(true, Ordering::Relaxed);
    crate::logger::config_changed();
    // A panic must not unwind out of an atexit callback.
    let _ = std::panic::catch_unwind(handler::flush_for_exit);
}

/// Registers `shutdown` to run at normal process exit (once).
pub fn ensure_shutdown_at_exit() {
    crate::fork::install();
    if !SHUTDOWN_REGISTERED.swap(true, Ordering::AcqRel) {
        // SAFETY: registering a plain extern "C" function with no captured state.
        unsafe {
            libc::atexit(shutdown_at_exit);
        }
    }
}

/// Python's `logging.shutdown`: flush and close every handler. Idempotent;
/// handlers that reopen on demand (FileHandler in append mode) still accept
/// records logged after it.
pub fn shutdown() {
    handler::shutdown_all();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_logger_for_same_name_and_root_for_empty() {
        let a = get_logger("mgr.same");
        assert!(std::ptr::eq(a, get_logger("mgr.same")));
        assert!(std::ptr::eq(get_logger(""), root()));
        assert_eq!(root().name(), "root");
    }

    #[test]
    fn placeholders_reparent_on_creation() {
        let leaf = get_logger("mgr.p.q.r");
        assert!(std::ptr::eq(leaf.parent().unwrap(), root()));
        let mid = get_logger("mgr.p");
        assert!(std::ptr::eq(leaf.parent().unwrap(), mid));
        assert!(std::ptr::eq(mid.parent().unwrap(), root()));
        let closer = get_logger("mgr.p.q");
        assert!(std::ptr::eq(leaf.parent().unwrap(), closer));
        assert!(std::ptr::eq(closer.parent().unwrap(), mid));
        let sibling = get_logger("mgr.p.q2");
        assert!(std::ptr::eq(sibling.parent().unwrap(), mid));
    }

    #[test]
    fn notset_inherits_and_cache_follows_changes() {
        let parent = get_logger("mgr.inherit");
        let child = get_logger("mgr.inherit.child");
        parent.set_level(level::ERROR);
        assert_eq!(child.effective_level(), level::ERROR);
        assert!(!child.is_enabled_for(level::WARNING));
        parent.set_level(level::DEBUG);
        assert!(child.is_enabled_for(level::DEBUG));
        child.set_level(level::CRITICAL);
        assert!(!child.is_enabled_for(level::ERROR));
    }
}

//! Levels, level names and the global `disable` threshold.
//!
//! Level names are looked up on every formatted record, so the common range
//! (0..=63) is a lock-free table of leaked `&'static str`; other levels live in
//! a locked map. Names are leaked because `add_level_name` is a set-up call made
//! a handful of times per process, and a `&'static str` keeps records borrow-only.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI32, Ordering};

use crate::sync::Lock;

pub const NOTSET: i32 = 0;
pub const DEBUG: i32 = 10;
pub const INFO: i32 = 20;
pub const WARNING: i32 = 30;
pub const ERROR: i32 = 40;
pub const CRITICAL: i32 = 50;

const FAST_SLOTS: usize = 64;

/// A name stored in the lock-free table: a leaked `&'static str`.
type NameSlot = crate::sync::StaticRef<&'static str>;

struct LevelNames {
    fast: [NameSlot; FAST_SLOTS],
    other: Lock<HashMap<i32, &'static str>>,
    by_name: Lock<HashMap<&'static str, i32>>,
}

fn names() -> &'static LevelNames {
    static NAMES: crate::sync::ForkOnce<LevelNames> = crate::sync::ForkOnce::new();
    NAMES.get_or_init(|| {
        let table = LevelNames {
            fast: std::array::from_fn(|_| NameSlot::new(None)),
            other: Lock::new(HashMap::new()),
            by_name: Lock::new(HashMap::new()),
        };
        for (level, name) in [
            (NOTSET, "NOTSET"),
            (DEBUG, "DEBUG"),
            (INFO, "INFO"),
            (WARNING, "WARNING"),
            (ERROR, "ERROR"),
            (CRITICAL, "CRITICAL"),
        ] {
            store_name(&table, level, name);
        }
        // Python accepts these aliases when parsing, but never prints them.
        table.by_name.lock().insert("WARN", WARNING);
        table.by_name.lock().insert("FATAL", CRITICAL);
        table
    })
}

fn store_name(table: &LevelNames, level: i32, name: &'static str) {
    match usize::try_from(level) {
        Ok(slot) if slot < FAST_SLOTS => {
            let boxed: &'static mut &'static str = Box::leak(Box::new(name));
            table.fast[slot].set(Some(boxed));
        }
        _ => {
            table.other.lock().insert(level, name);
        }
    }
    table.by_name.lock().insert(name, level);
}

/// Associates `name` with `level` (Python's `addLevelName`). Later calls replace
/// the name printed for the level; the old name still parses back to the level.
pub fn add_level_name(level: i32, name: &str) {
    let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
    store_name(names(), level, name);
}

/// The registered name of `level`, if any. Inline (every record's level
/// name is looked up): the table slot here, other levels out of line.
#[inline]
pub fn registered_name(level: i32) -> Option<&'static str> {
    let table = names();
    match usize::try_from(level) {
        Ok(slot) if slot < FAST_SLOTS => table.fast[slot].get().copied(),
        _ => other_name(table, level),
    }
}

/// `registered_name` of a level outside the table's range.
#[inline(never)]
fn other_name(table: &LevelNames, level: i32) -> Option<&'static str> {
    table.other.lock().get(&level).copied()
}

/// The text Python prints for `level`: its registered name, else `Level n`.
#[inline]
pub fn level_name(level: i32) -> std::borrow::Cow<'static, str> {
    match registered_name(level) {
        Some(name) => std::borrow::Cow::Borrowed(name),
        None => unnamed(level),
    }
}

/// `level_name` of a level without a name.
#[cold]
#[inline(never)]
fn unnamed(level: i32) -> std::borrow::Cow<'static, str> {
    std::borrow::Cow::Owned(format!("Level {level}"))
}

/// Parses a level the way dictConfig and basicConfig do: a registered name
/// (exact case, `WARN`/`FATAL` included) or a decimal integer.
pub fn parse_level(text: &str) -> Option<i32> {
    if let Some(level) = names().by_name.lock().get(text) {
        return Some(*level);
    }
    text.trim().parse::<i32>().ok()
}

/// Python's manager.disable: records at or below it are dropped. Its default,
/// NOTSET, means a record logged at level 0 is never emitted, as in Python.
static DISABLE_LEVEL: AtomicI32 = AtomicI32::new(NOTSET);

/// Python's `logging.disable(level)`: drop every record at or below `level`
/// whatever the logger levels say. `disable(NOTSET)` lifts it.
pub fn disable(level: i32) {
    DISABLE_LEVEL.store(level, Ordering::Relaxed);
    crate::manager::refresh_effective_levels();
}

/// The current disable threshold: records at or below it are dropped.
pub fn disabled_at_or_below() -> i32 {
    DISABLE_LEVEL.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_and_custom_names() {
        assert_eq!(level_name(WARNING), "WARNING");
        assert_eq!(level_name(37), "Level 37");
        add_level_name(37, "NOTICE");
        assert_eq!(level_name(37), "NOTICE");
        assert_eq!(parse_level("NOTICE"), Some(37));
        add_level_name(1000, "HUGE");
        assert_eq!(level_name(1000), "HUGE");
        assert_eq!(level_name(-5), "Level -5");
        assert_eq!(parse_level("WARN"), Some(WARNING));
        assert_eq!(parse_level("15"), Some(15));
        assert_eq!(parse_level("warning"), None);
        // getLevelName: a registered name wins even when empty.
        add_level_name(46, "");
        assert_eq!(level_name(46), "");
        assert_eq!(parse_level(""), Some(46));
    }
}

//! Python's `logging.LoggerAdapter`: a logger plus key/values merged into
//! every record it logs, and an optional `process` step that may rewrite
//! the record's message and extras (cookbook 7.1's `[connid] msg`) or add
//! values computed per record (the recipe's "dict-like object").
//!
//! Merge order: the adapter's extras, then the call's own (a call's key
//! wins, as Python 3.13's `merge_extra=True`), then `process`. A disabled
//! level costs what the logger's check costs: nothing is built.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Weak};

use crate::logger::Logger;
use crate::record::{Record, Value};
use crate::sync::Lock;

/// The adapters made by `Adapter::shared` (every C handle), so that a change
/// of loggers' thresholds reaches each one's copy without loggers knowing
/// their adapters. Weak: the registry never keeps an adapter alive.
static SHARED: Lock<Vec<Weak<Adapter>>> = Lock::new(Vec::new());
/// Whether `SHARED` was ever non-empty: level changes skip the lock before.
static ANY_SHARED: AtomicBool = AtomicBool::new(false);

/// Refreshes the threshold copies of the shared adapters of `logger` (all
/// of them for `None`). Called after loggers' thresholds were stored.
pub(crate) fn refresh_thresholds(logger: Option<&Logger>) {
    if !ANY_SHARED.load(Ordering::Relaxed) {
        return;
    }
    // Upgraded under the lock, refreshed and released after it: the last
    // reference may be ours, and dropping an adapter runs its `process`
    // clean-up (a C destroy callback that may call back into sawmill).
    let alive: Vec<Arc<Adapter>> = SHARED.lock().iter().filter_map(Weak::upgrade).collect();
    for adapter in alive {
        if logger.is_none_or(|l| std::ptr::eq(adapter.logger(), l)) {
            adapter.refresh_threshold();
        }
    }
}

/// The `process` step: runs on the logging thread with the record before
/// the logger's filters see it.
pub type Process = Box<dyn Fn(&mut Record<'_>) + Send + Sync>;

/// `repr(C)` with a copy of the logger's threshold first: the C header's
/// SAWMILL_ADAPTER_LOG reads it at offset 0 of a `sawmill_adapter *`, as
/// SAWMILL_LOG reads a logger's, so a disabled adapter call costs what a
/// disabled logger call costs (one load, not two). Keep it the first field.
#[repr(C)]
pub struct Adapter {
    /// The logger's threshold as last copied by `refresh_threshold`; kept
    /// current for adapters made by `shared` (see `SHARED`).
    threshold: AtomicI64,
    logger: &'static Logger,
    extras: Vec<(String, Value<'static>)>,
    process: Option<Process>,
}

impl Adapter {
    pub fn new(
        logger: &'static Logger,
        extras: Vec<(String, Value<'static>)>,
        process: Option<Process>,
    ) -> Adapter {
        Adapter {
            threshold: AtomicI64::new(logger.threshold()),
            logger,
            extras,
            process,
        }
    }

    /// An adapter whose threshold copy follows its logger's (the C handles':
    /// SAWMILL_ADAPTER_LOG reads the copy).
    pub fn shared(
        logger: &'static Logger,
        extras: Vec<(String, Value<'static>)>,
        process: Option<Process>,
    ) -> Arc<Adapter> {
        let adapter = Arc::new(Adapter::new(logger, extras, process));
        let mut shared = SHARED.lock();
        shared.retain(|a| a.strong_count() > 0);
        shared.push(Arc::downgrade(&adapter));
        // Copied again under the registry's lock: a level change that
        // stored the logger's threshold before this one was registered
        // refreshes its copies after, or this read sees its value.
        adapter.refresh_threshold();
        ANY_SHARED.store(true, Ordering::Relaxed);
        drop(shared);
        adapter
    }

    /// Copies the logger's threshold (see the field).
    pub(crate) fn refresh_threshold(&self) {
        self.threshold
            .store(self.logger.threshold(), Ordering::Relaxed);
    }

    pub fn logger(&self) -> &'static Logger {
        self.logger
    }

    pub fn extras(&self) -> &[(String, Value<'static>)] {
        &self.extras
    }

    /// Logs `message` at `level` with the adapter's extras (and `extras` of
    /// the call, which win on a shared key). Nothing is done when the
    /// logger does not log `level`.
    pub fn log<'a>(
        &'a self,
        level: i32,
        pathname: Option<&'a str>,
        lineno: u32,
        func_name: Option<&'a str>,
        message: &'a str,
        extras: Vec<(Cow<'a, str>, Value<'a>)>,
    ) {
        if !self.logger.is_enabled_for(level) {
            return;
        }
        let mut record = Record::new(
            self.logger.name(),
            level,
            pathname,
            lineno,
            func_name,
            Cow::Borrowed(message),
        );
        let mut merged: Vec<(Cow<'a, str>, Value<'a>)> =
            Vec::with_capacity(self.extras.len() + extras.len());
        for (key, value) in &self.extras {
            if !extras.iter().any(|(k, _)| k == key) {
                merged.push((Cow::Borrowed(key.as_str()), value.clone()));
            }
        }
        merged.extend(extras);
        record.extras = merged;
        if let Some(process) = &self.process {
            process(&mut record);
        }
        self.logger.handle(&mut record);
    }
}

const _: () = assert!(std::mem::offset_of!(Adapter, threshold) == 0);

impl std::fmt::Debug for Adapter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "<LoggerAdapter {} ({} extras)>",
            self.logger.name(),
            self.extras.len()
        )
    }
}

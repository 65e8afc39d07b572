//! Filters: Python's `Filter(name)` and arbitrary callbacks, and the
//! copy-on-write list that loggers and handlers keep them in.

use std::sync::Arc;

use std::sync::atomic::{AtomicBool, Ordering};

use arc_swap::ArcSwap;

use crate::record::Record;

/// Decides whether a record goes on; may add or change record attributes
/// (cookbook recipe 7.2), which later filters and handlers then see.
pub trait Filter: Send + Sync {
    fn filter(&self, record: &mut Record<'_>) -> bool;
}

/// Python's `logging.Filter(name)`: passes records of `name` and its
/// descendants (`a.b` passes `a.b` and `a.b.c`, not `a.bc`); `""` passes all.
#[derive(Debug, Clone)]
pub struct NameFilter {
    name: String,
}

impl NameFilter {
    pub fn new(name: &str) -> NameFilter {
        NameFilter {
            name: name.to_owned(),
        }
    }
}

impl Filter for NameFilter {
    fn filter(&self, record: &mut Record<'_>) -> bool {
        let n = self.name.as_str();
        if n.is_empty() || record.name == n {
            return true;
        }
        record.name.starts_with(n) && record.name.as_bytes().get(n.len()) == Some(&b'.')
    }
}

/// A filter made from a closure.
pub struct FnFilter<F>(pub F);

impl<F> Filter for FnFilter<F>
where
    F: Fn(&mut Record<'_>) -> bool + Send + Sync,
{
    fn filter(&self, record: &mut Record<'_>) -> bool {
        (self.0)(record)
    }
}

/// A list of filters read lock-free on the hot path and replaced whole on change.
#[derive(Default)]
pub struct FilterList {
    filters: ArcSwap<Vec<Arc<dyn Filter>>>,
    /// Whether the list may be non-empty: most lists are empty, and a plain
    /// load of this flag is cheaper than taking a snapshot.
    any: AtomicBool,
}

fn same_filter(a: &Arc<dyn Filter>, b: &Arc<dyn Filter>) -> bool {
    std::ptr::addr_eq(Arc::as_ptr(a), Arc::as_ptr(b))
}

impl FilterList {
    /// Adds `filter` unless this very filter is already present (Python's addFilter).
    pub fn add(&self, filter: Arc<dyn Filter>) {
        self.any.store(true, Ordering::Release);
        crate::logger::config_changed();
        self.filters.rcu(|current| {
            let mut next = Vec::clone(current);
            if !next.iter().any(|f| same_filter(f, &filter)) {
                next.push(filter.clone());
            }
            next
        });
    }

    pub fn remove(&self, filter: &Arc<dyn Filter>) {
        crate::logger::config_changed();
        self.filters.rcu(|current| {
            let mut next = Vec::clone(current);
            next.retain(|f| !same_filter(f, filter));
            next
        });
    }

    pub fn clear(&self) {
        crate::logger::config_changed();
        self.filters.store(Arc::new(Vec::new()));
        self.any.store(false, Ordering::Release);
    }

    pub fn len(&self) -> usize {
        self.filters.load().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when every filter passes the record; stops at the first refusal.
    #[inline]
    pub fn passes(&self, record: &mut Record<'_>) -> bool {
        if !self.any.load(Ordering::Acquire) {
            return true;
        }
        let filters = self.filters.load();
        filters.iter().all(|f| f.filter(record))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn rec(name: &str) -> Record<'_> {
        Record::at(0.0, name, 20, None, 0, None, Cow::Borrowed("m"))
    }

    #[test]
    fn name_filter_passes_descendants_only() {
        let f = NameFilter::new("a.b");
        assert!(f.filter(&mut rec("a.b")));
        assert!(f.filter(&mut rec("a.b.c")));
        assert!(!f.filter(&mut rec("a.bc")));
        assert!(!f.filter(&mut rec("a")));
        assert!(NameFilter::new("").filter(&mut rec("anything")));
    }

    #[test]
    fn list_adds_once_and_removes_by_identity() {
        let list = FilterList::default();
        let f: Arc<dyn Filter> = Arc::new(NameFilter::new("x"));
        list.add(f.clone());
        list.add(f.clone());
        assert_eq!(list.len(), 1);
        assert!(!list.passes(&mut rec("y")));
        list.remove(&f);
        assert!(list.passes(&mut rec("y")));
    }
}

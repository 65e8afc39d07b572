//! Python's `NullHandler`: accepts records and does nothing, not even run
//! its filters or format them.

use super::{EmitError, Sink};
use crate::record::Record;

pub struct NullSink;

impl Sink for NullSink {
    fn kind(&self) -> &'static str {
        "NullHandler"
    }

    fn emit(&mut self, _record: &Record<'_>, _text: &mut String) -> Result<(), EmitError> {
        Ok(())
    }

    fn is_stub(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use crate::filter::Filter;
    use crate::record::Record;

    struct Counting(AtomicUsize);

    impl Filter for Counting {
        fn filter(&self, _record: &mut Record<'_>) -> bool {
            self.0.fetch_add(1, Ordering::Relaxed);
            true
        }
    }

    #[test]
    fn a_null_handler_runs_no_filter() {
        let counting = Arc::new(Counting(AtomicUsize::new(0)));
        let null = super::super::null_handler();
        null.add_filter(counting.clone());
        let mut record = Record::new("null", 40, None, 0, None, Cow::Borrowed("x"));
        assert!(!null.handle(&mut record));
        assert_eq!(counting.0.load(Ordering::Relaxed), 0);
    }
}

//! Python's `NullHandler`: accepts records and does nothing, not even format them.

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

    fn needs_text(&self) -> bool {
        false
    }
}

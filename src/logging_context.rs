//! Cookbook recipe 19's `LoggingContext`: for a scope, set a logger's level
//! and/or attach a handler; on exit put the level back, detach the handler
//! and optionally close it. Exit happens on `end` or on drop, once.

use std::sync::Arc;

use crate::handler::Handler;
use crate::logger::Logger;

/// An open scope. `level`/`handler` were applied by `begin`; dropping it
/// (or `end`) undoes them in the recipe's order: level, handler, close.
#[must_use = "the context ends when this is dropped"]
pub struct LoggingContext {
    logger: &'static Logger,
    old_level: Option<i32>,
    handler: Option<Arc<Handler>>,
    close: bool,
}

impl LoggingContext {
    /// Enters the scope: sets `level` when given (remembering the logger's
    /// own level, NOTSET included), then attaches `handler` when given.
    pub fn begin(
        logger: &'static Logger,
        level: Option<i32>,
        handler: Option<Arc<Handler>>,
        close: bool,
    ) -> LoggingContext {
        let old_level = level.map(|level| {
            let old = logger.level();
            logger.set_level(level);
            old
        });
        if let Some(h) = &handler {
            logger.add_handler(h.clone());
        }
        LoggingContext {
            logger,
            old_level,
            handler,
            close,
        }
    }

    /// The handler attached for the scope, when it is still attached and
    /// `end` will close it.
    pub fn handler_to_close(&self) -> Option<&Arc<Handler>> {
        self.handler.as_ref().filter(|_| self.close)
    }

    /// Leaves the scope; the result of closing the handler (when asked).
    pub fn end(mut self) -> std::io::Result<()> {
        self.exit()
    }

    fn exit(&mut self) -> std::io::Result<()> {
        if let Some(old) = self.old_level.take() {
            self.logger.set_level(old);
        }
        match self.handler.take() {
            Some(h) => {
                self.logger.remove_handler(&h);
                if self.close {
                    h.close()
                } else {
                    Ok(())
                }
            }
            None => Ok(()),
        }
    }
}

impl Drop for LoggingContext {
    fn drop(&mut self) {
        let _ = self.exit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handler::NullSink;

    #[test]
    fn restores_level_detaches_and_closes() {
        let logger = crate::manager::get_logger("logging_context_test");
        assert_eq!(logger.level(), crate::level::NOTSET);
        let handler = Handler::new(Box::new(NullSink));
        {
            let _c = LoggingContext::begin(logger, Some(10), Some(handler.clone()), true);
            assert_eq!(logger.level(), 10);
            assert_eq!(Arc::strong_count(&handler), 3);
        }
        assert_eq!(logger.level(), crate::level::NOTSET);
        assert_eq!(Arc::strong_count(&handler), 1);
        assert!(handler.is_closed());
        let kept = Handler::new(Box::new(NullSink));
        LoggingContext::begin(logger, None, Some(kept.clone()), false)
            .end()
            .unwrap();
        assert!(!kept.is_closed());
        assert_eq!(logger.level(), crate::level::NOTSET);
    }
}

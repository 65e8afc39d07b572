//! Factories a configuration's `()` key names: registered by the program
//! (from C, `sawmill_register_*_factory`) under a dotted name. A `()` value
//! (less any `ext://`) is looked up by its full name, then by its last
//! component, so `"ext://myapp.handlers.owned_file_handler"` finds a
//! factory registered as `owned_file_handler`.

use std::sync::Arc;

use super::classes::Entry;
use crate::filter::Filter;
use crate::format::Formatter;
use crate::handler::Handler;
use crate::sync::Lock;

/// Builds an object from the entry's other keys (read-only).
pub type Factory<T> = Arc<dyn Fn(&Entry) -> Result<T, String> + Send + Sync>;
pub type HandlerFactory = Factory<Arc<Handler>>;
pub type FilterFactory = Factory<Arc<dyn Filter>>;
pub type FormatterFactory = Factory<Arc<Formatter>>;

struct Table<T> {
    entries: Lock<Vec<(String, Factory<T>)>>,
}

impl<T> Table<T> {
    const fn new() -> Table<T> {
        Table {
            entries: Lock::new(Vec::new()),
        }
    }

    fn register(&self, name: &str, factory: Factory<T>) {
        let mut entries = self.entries.lock();
        entries.retain(|(n, _)| n != name);
        entries.push((name.to_owned(), factory));
    }

    fn lookup(&self, name: &str) -> Option<Factory<T>> {
        let name = name.strip_prefix("ext://").unwrap_or(name);
        let entries = self.entries.lock();
        let find = |wanted: &str| {
            entries
                .iter()
                .find(|(n, _)| n == wanted)
                .map(|(_, f)| f.clone())
        };
        find(name).or_else(|| find(name.rsplit('.').next().unwrap_or(name)))
    }
}

static HANDLERS: Table<Arc<Handler>> = Table::new();
static FILTERS: Table<Arc<dyn Filter>> = Table::new();
static FORMATTERS: Table<Arc<Formatter>> = Table::new();

/// Registers (or replaces) the handler factory `name`.
pub fn register_handler_factory(name: &str, factory: HandlerFactory) {
    HANDLERS.register(name, factory);
}

/// Registers (or replaces) the filter factory `name`.
pub fn register_filter_factory(name: &str, factory: FilterFactory) {
    FILTERS.register(name, factory);
}

/// Registers (or replaces) the formatter factory `name`.
pub fn register_formatter_factory(name: &str, factory: FormatterFactory) {
    FORMATTERS.register(name, factory);
}

pub fn handler_factory(name: &str) -> Option<HandlerFactory> {
    HANDLERS.lookup(name)
}

pub fn filter_factory(name: &str) -> Option<FilterFactory> {
    FILTERS.lookup(name)
}

pub fn formatter_factory(name: &str) -> Option<FormatterFactory> {
    FORMATTERS.lookup(name)
}

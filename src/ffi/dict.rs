//! dictConfig from C: apply a JSON document, find a configured handler by
//! name, and register the factories a document's `()` key names.

use std::collections::HashMap;
use std::ffi::{c_char, c_void, CString};
use std::sync::Arc;

use super::filter::{filter_from_factory, sawmill_filter};
use super::formatter::sawmill_formatter;
use super::handler::{into_c, sawmill_destroy_fn, sawmill_handler, UserData};
use super::{
    check_not_null, pointer_call, required_str, sawmill_status, status_call, FfiError, FfiResult,
};
use crate::config::classes::Entry;
use crate::config::{dict, factories, ConfigError};
use crate::format::Formatter;
use crate::handler::Handler;

fn config_error(e: ConfigError) -> FfiError {
    FfiError::new(sawmill_status::SAWMILL_ERR_CONFIG, e.0)
}

/// Python's `logging.config.dictConfig(json.loads(json))`: CPython 3.12's
/// schema (version 1; formatters, filters, handlers, loggers, root,
/// incremental, disable_existing_loggers; `cfg://` and `ext://`; `()`
/// naming a registered factory). Applied atomically: everything is parsed,
/// checked and built first; on any error nothing changes and the status is
/// SAWMILL_ERR_CONFIG with the section, entry and key in
/// `sawmill_last_error()`. Handlers of the previous configuration are
/// flushed and closed. NULL → SAWMILL_ERR_NULL_ARGUMENT; invalid UTF-8 →
/// SAWMILL_ERR_INVALID_UTF8. The text is only read during the call.
/// Thread-safe (configurations are applied one at a time); calling it from
/// inside a factory it runs, or from a handler's emit or flush callback →
/// SAWMILL_ERR_WOULD_DEADLOCK.
#[no_mangle]
pub unsafe extern "C" fn sawmill_dict_config_json(json: *const c_char) -> sawmill_status {
    status_call(|| {
        // SAFETY: C contract: a NUL-terminated string.
        let text = unsafe { required_str(json, "json") }?;
        refuse_inside_factory()?;
        dict::dict_config_json(text).map_err(config_error)
    })
}

/// `sawmill_dict_config_json` with the text of the file at `path` (read
/// whole; an unreadable file → SAWMILL_ERR_CONFIG). NULL →
/// SAWMILL_ERR_NULL_ARGUMENT; invalid UTF-8 (path or contents) →
/// SAWMILL_ERR_INVALID_UTF8 / SAWMILL_ERR_CONFIG. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_dict_config_file(path: *const c_char) -> sawmill_status {
    status_call(|| {
        // SAFETY: C contract: a NUL-terminated string.
        let path = unsafe { required_str(path, "path") }?;
        refuse_inside_factory()?;
        dict::dict_config_file(std::path::Path::new(path)).map_err(config_error)
    })
}

/// Python's `logging.config.fileConfig(path, disable_existing_loggers=...)`:
/// the INI file (configparser's dialect, `%(name)s` interpolation) is
/// translated into the dictConfig document and applied the same atomic way.
/// `class` must be a dotted name and `args`/`kwargs` Python literals: nothing
/// is evaluated (a text CPython would `eval` into code → SAWMILL_ERR_CONFIG
/// naming the section). A missing, empty or unreadable file, a bad
/// section or key → SAWMILL_ERR_CONFIG and nothing changes. NULL →
/// SAWMILL_ERR_NULL_ARGUMENT; invalid UTF-8 path → SAWMILL_ERR_INVALID_UTF8.
/// Refused inside a handler callback or a factory of the configuration being
/// applied (SAWMILL_ERR_WOULD_DEADLOCK). The path is only read during the
/// call. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_file_config(
    path: *const c_char,
    disable_existing_loggers: bool,
) -> sawmill_status {
    status_call(|| {
        // SAFETY: C contract: a NUL-terminated string.
        let path = unsafe { required_str(path, "path") }?;
        refuse_inside_factory()?;
        crate::config::file::file_config(std::path::Path::new(path), disable_existing_loggers)
            .map_err(config_error)
    })
}

/// A configuration closes the handlers it replaces: not from inside a
/// handler's callback (its lock is held), nor from a factory of the
/// configuration being applied.
fn refuse_inside_factory() -> FfiResult<()> {
    super::handler::refuse_in_any_callback("applying a configuration")?;
    if dict::applying_on_this_thread() {
        return Err(FfiError::new(
            sawmill_status::SAWMILL_ERR_WOULD_DEADLOCK,
            "a configuration is applied from inside a factory of the one being applied",
        ));
    }
    Ok(())
}

/// The handler the current configuration named `name` (Python 3.12's
/// `logging.getHandlerByName`): a new reference the caller releases, or
/// NULL when there is none (SAWMILL_ERR_INVALID_ARGUMENT in
/// `sawmill_last_error()`). NULL `name` → NULL + SAWMILL_ERR_NULL_ARGUMENT.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_get_handler_by_name(name: *const c_char) -> *mut sawmill_handler {
    pointer_call(|| {
        // SAFETY: C contract: a NUL-terminated string.
        let name = unsafe { required_str(name, "name") }?;
        dict::handler_by_name(name)
            .map(into_c)
            .ok_or_else(|| FfiError::invalid(format!("no handler named '{name}'")))
    })
}

/// The keys of a configuration entry other than `()` (and the handler keys
/// `class`, `level`, `formatter`, `filters`, `.`), as a factory reads them.
/// Valid only during the factory call that received it.
pub struct sawmill_options {
    _opaque: [u8; 0],
}

struct OptionsView {
    json: CString,
    strings: HashMap<String, CString>,
    ints: HashMap<String, i64>,
    /// String items of list values (`"owner": ["pulse", "pulse"]`).
    lists: HashMap<String, Vec<Option<CString>>>,
}

impl OptionsView {
    fn new(entry: &Entry) -> OptionsView {
        let text = serde_json::to_string(entry).unwrap_or_else(|_| "{}".into());
        let mut strings = HashMap::new();
        let mut ints = HashMap::new();
        let mut lists = HashMap::new();
        for (key, value) in entry {
            match value {
                serde_json::Value::Array(items) => {
                    let texts = items
                        .iter()
                        .map(|i| i.as_str().and_then(|s| CString::new(s).ok()))
                        .collect();
                    lists.insert(key.clone(), texts);
                }
                serde_json::Value::String(s) => {
                    if let Ok(c) = CString::new(s.as_str()) {
                        strings.insert(key.clone(), c);
                    }
                }
                serde_json::Value::Number(n) => {
                    if let Some(i) = n.as_i64() {
                        ints.insert(key.clone(), i);
                    }
                }
                _ => {}
            }
        }
        OptionsView {
            json: CString::new(text.replace('\0', "\\u0000")).unwrap_or_default(),
            strings,
            ints,
            lists,
        }
    }

    fn as_c(&self) -> *const sawmill_options {
        (self as *const OptionsView).cast()
    }
}

unsafe fn view<'a>(o: *const sawmill_options) -> FfiResult<&'a OptionsView> {
    check_not_null(o, "options")?;
    // SAFETY: options pointers come from `OptionsView::as_c` and are valid
    // during the factory call (the C contract).
    Ok(unsafe { &*o.cast::<OptionsView>() })
}

/// The whole entry (less `()`) as a JSON object text, valid during the
/// factory call. NULL `o` → "" + SAWMILL_ERR_NULL_ARGUMENT. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_options_json(o: *const sawmill_options) -> *const c_char {
    super::boundary(
        |_| c"".as_ptr(),
        || {
            // SAFETY: forwarded C contract.
            Ok(unsafe { view(o) }?.json.as_ptr())
        },
    )
}

/// The string value of `key`, valid during the factory call; NULL when the
/// key is absent or not a string (or on a NULL argument, which also sets
/// SAWMILL_ERR_NULL_ARGUMENT). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_options_get_str(
    o: *const sawmill_options,
    key: *const c_char,
) -> *const c_char {
    pointer_call(|| {
        // SAFETY: forwarded C contract.
        let view = unsafe { view(o) }?;
        // SAFETY: C contract: a NUL-terminated string.
        let key = unsafe { required_str(key, "key") }?;
        Ok(view
            .strings
            .get(key)
            .map_or(std::ptr::null_mut(), |s| s.as_ptr().cast_mut()))
    })
    .cast_const()
}

/// Item `index` of the list value of `key` if it is a string (recipe 13's
/// `"owner": ["pulse", "pulse"]`), valid during the factory call; NULL
/// when the key is absent, not a list, too short, or the item is not a
/// string (or on a NULL argument, which also sets
/// SAWMILL_ERR_NULL_ARGUMENT). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_options_get_str_at(
    o: *const sawmill_options,
    key: *const c_char,
    index: usize,
) -> *const c_char {
    pointer_call(|| {
        // SAFETY: forwarded C contract.
        let view = unsafe { view(o) }?;
        // SAFETY: C contract: a NUL-terminated string.
        let key = unsafe { required_str(key, "key") }?;
        Ok(view
            .lists
            .get(key)
            .and_then(|items| items.get(index))
            .and_then(Option::as_ref)
            .map_or(std::ptr::null_mut(), |s| s.as_ptr().cast_mut()))
    })
    .cast_const()
}

/// Stores the integer value of `key` in `*out` and returns true; false
/// when the key is absent or not an integer (or on a NULL argument, which
/// also sets SAWMILL_ERR_NULL_ARGUMENT). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_options_get_int(
    o: *const sawmill_options,
    key: *const c_char,
    out: *mut i64,
) -> bool {
    super::boundary(
        |_| false,
        || {
            // SAFETY: forwarded C contract.
            let view = unsafe { view(o) }?;
            // SAFETY: C contract: a NUL-terminated string.
            let key = unsafe { required_str(key, "key") }?;
            check_not_null(out, "out")?;
            Ok(match view.ints.get(key) {
                Some(value) => {
                    // SAFETY: checked non-NULL; the caller's int64_t.
                    unsafe { *out = *value };
                    true
                }
                None => false,
            })
        },
    )
}

/// Builds a handler for a `()` entry: the options view is valid during the
/// call. Return a new handler (the configuration takes over that reference)
/// or NULL to refuse the configuration.
pub type sawmill_handler_factory_fn = Option<
    unsafe extern "C" fn(user_data: *mut c_void, o: *const sawmill_options) -> *mut sawmill_handler,
>;
/// Builds a filter for a `()` entry (as `sawmill_handler_factory_fn`).
pub type sawmill_filter_factory_fn = Option<
    unsafe extern "C" fn(user_data: *mut c_void, o: *const sawmill_options) -> *mut sawmill_filter,
>;
/// Builds a formatter for a `()` entry (as `sawmill_handler_factory_fn`).
pub type sawmill_formatter_factory_fn = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        o: *const sawmill_options,
    ) -> *mut sawmill_formatter,
>;

/// Calls a C factory with the entry's view; NULL is a refusal.
fn call_factory<T>(
    name: &str,
    data: &UserData,
    entry: &Entry,
    call: impl FnOnce(*mut c_void, *const sawmill_options) -> *mut T,
) -> Result<*mut T, String> {
    let view = OptionsView::new(entry);
    let made = call(data.ptr, view.as_c());
    if made.is_null() {
        let why = super::sawmill_last_error();
        // SAFETY: sawmill_last_error never returns NULL.
        let why = unsafe { std::ffi::CStr::from_ptr(why) }.to_string_lossy();
        return Err(format!(
            "factory '{name}' returned NULL (last error: {why})"
        ));
    }
    Ok(made)
}

/// A C factory returning a new reference to a `C` handle, or NULL.
type CFactory<C> = unsafe extern "C" fn(*mut c_void, *const sawmill_options) -> *mut C;

/// The one registration behind the three `sawmill_register_*_factory`:
/// `adopt` takes over the reference the C factory returns and `register`
/// files the factory under `name`. `user_data` is owned (and `destroy`
/// run) by the registration from the first line on, so an error still
/// releases it.
///
/// # Safety
/// `name` is NULL or NUL-terminated; `adopt` accepts every non-NULL pointer
/// `make` returns.
unsafe fn register_factory<C: 'static, T: 'static>(
    name: *const c_char,
    make: Option<CFactory<C>>,
    user_data: *mut c_void,
    destroy: sawmill_destroy_fn,
    adopt: unsafe fn(*mut C) -> T,
    register: fn(&str, factories::Factory<T>),
) -> sawmill_status {
    status_call(|| {
        let data = UserData {
            ptr: user_data,
            destroy,
        };
        // SAFETY: C contract: a NUL-terminated string.
        let name = unsafe { required_str(name, "name") }?.to_owned();
        let Some(make) = make else {
            return Err(FfiError::null("fn"));
        };
        let label = name.clone();
        register(
            &name,
            Arc::new(move |entry| {
                // SAFETY: the factory's contract; it returns a new reference or NULL.
                let made = call_factory(&label, &data, entry, |u, o| unsafe { make(u, o) })?;
                // SAFETY: non-NULL (checked by call_factory) and ours now; the
                // caller vouches that `adopt` fits what `make` returns.
                Ok(unsafe { adopt(made) })
            }),
        );
        Ok(())
    })
}

/// Registers `fn` as the handler factory `name` (a `()` value names it by
/// its full dotted name or its last component); a second registration of
/// the same name replaces the first. `destroy` (may be NULL) runs once on
/// `user_data` when the factory is replaced. A factory may be registered
/// before or after the configuration naming it is written, and must exist
/// when that configuration is applied. NULL `name`/`fn` →
/// SAWMILL_ERR_NULL_ARGUMENT (destroy still runs). Thread-safe; the factory
/// is called on the thread applying the configuration.
#[no_mangle]
pub unsafe extern "C" fn sawmill_register_handler_factory(
    name: *const c_char,
    r#fn: sawmill_handler_factory_fn,
    user_data: *mut c_void,
    destroy: sawmill_destroy_fn,
) -> sawmill_status {
    // SAFETY: a handler factory returns a pointer from `into_c`.
    unsafe {
        register_factory(
            name,
            r#fn,
            user_data,
            destroy,
            |made| Arc::from_raw(made as *const Handler),
            factories::register_handler_factory,
        )
    }
}

/// Registers `fn` as the filter factory `name` (rules of
/// `sawmill_register_handler_factory`).
#[no_mangle]
pub unsafe extern "C" fn sawmill_register_filter_factory(
    name: *const c_char,
    r#fn: sawmill_filter_factory_fn,
    user_data: *mut c_void,
    destroy: sawmill_destroy_fn,
) -> sawmill_status {
    // SAFETY: a filter factory returns a filter pointer from this library.
    unsafe {
        register_factory(
            name,
            r#fn,
            user_data,
            destroy,
            filter_from_factory,
            factories::register_filter_factory,
        )
    }
}

/// Registers `fn` as the formatter factory `name` (rules of
/// `sawmill_register_handler_factory`).
#[no_mangle]
pub unsafe extern "C" fn sawmill_register_formatter_factory(
    name: *const c_char,
    r#fn: sawmill_formatter_factory_fn,
    user_data: *mut c_void,
    destroy: sawmill_destroy_fn,
) -> sawmill_status {
    // SAFETY: a formatter factory returns a pointer from `Arc::into_raw`.
    unsafe {
        register_factory(
            name,
            r#fn,
            user_data,
            destroy,
            |made| Arc::from_raw(made as *const Formatter),
            factories::register_formatter_factory,
        )
    }
}

//! Filters from C: `sawmill_filter *` is a raw `Arc<FilterHandle>` (the
//! handle wraps the fat `Arc<dyn Filter>` the core uses).

use std::ffi::{c_char, c_int, c_void};
use std::sync::Arc;

use super::handler::{sawmill_destroy_fn, UserData};
use super::record::{sawmill_record, RecordView};
use super::{check_not_null, pointer_call, required_str, FfiError, FfiResult};
use crate::filter::{Filter, NameFilter};
use crate::record::Record;

/// A filter. Reference-counted (`sawmill_filter_retain` /
/// `sawmill_filter_release`).
pub struct sawmill_filter {
    _opaque: [u8; 0],
}

/// Decides whether a record goes on: nonzero keeps it. May add or change
/// attributes with `sawmill_record_set_*`. Runs on whatever thread logged;
/// records logged from inside it on the same thread are dropped and counted.
pub type sawmill_filter_fn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, r: *mut sawmill_record) -> c_int>;

pub(crate) struct FilterHandle(Arc<dyn Filter>);

/// The core filter behind a handle the caller keeps its own reference to.
pub(crate) unsafe fn filter_arc(f: *const sawmill_filter) -> FfiResult<Arc<dyn Filter>> {
    check_not_null(f, "filter")?;
    // SAFETY: filter pointers come from `Arc::into_raw(Arc<FilterHandle>)`
    // and the caller holds a reference.
    Ok(unsafe { &*(f as *const FilterHandle) }.0.clone())
}

/// Takes over the reference a filter factory returned.
pub(crate) unsafe fn filter_from_factory(f: *mut sawmill_filter) -> Arc<dyn Filter> {
    // SAFETY: the caller passes a non-NULL handle from `into_c` whose
    // reference it owns.
    let handle = unsafe { Arc::from_raw(f as *const FilterHandle) };
    handle.0.clone()
}

fn into_c(filter: Arc<dyn Filter>) -> *mut sawmill_filter {
    Arc::into_raw(Arc::new(FilterHandle(filter))) as *mut sawmill_filter
}

/// Python's `logging.Filter(name)`: passes records of logger `name` and its
/// descendants; `""` passes everything. NULL → NULL +
/// SAWMILL_ERR_NULL_ARGUMENT. The caller owns one reference. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_name_filter_new(name: *const c_char) -> *mut sawmill_filter {
    pointer_call(|| {
        // SAFETY: C contract: NUL-terminated string.
        let name = unsafe { required_str(name, "name") }?;
        Ok(into_c(Arc::new(NameFilter::new(name))))
    })
}

struct CallbackFilter {
    filter: unsafe extern "C" fn(*mut c_void, *mut sawmill_record) -> c_int,
    data: UserData,
}

impl Filter for CallbackFilter {
    fn filter(&self, record: &mut Record<'_>) -> bool {
        let view = RecordView::writable(record);
        // SAFETY: the view lives on this frame for the whole call.
        unsafe { (self.filter)(self.data.ptr, view.as_c()) != 0 }
    }
}

/// A filter calling `fn(user_data, record)`; `destroy` (may be NULL) runs
/// exactly once when the last reference is gone. NULL `fn` → NULL +
/// SAWMILL_ERR_NULL_ARGUMENT (destroy still runs). The caller owns one
/// reference. Thread-safe.
#[no_mangle]
pub extern "C" fn sawmill_callback_filter_new(
    filter: sawmill_filter_fn,
    user_data: *mut c_void,
    destroy: sawmill_destroy_fn,
) -> *mut sawmill_filter {
    pointer_call(|| {
        let data = UserData {
            ptr: user_data,
            destroy,
        };
        let Some(filter) = filter else {
            drop(data);
            return Err(FfiError::null("fn"));
        };
        Ok(into_c(Arc::new(CallbackFilter { filter, data })))
    })
}

/// Adds a reference; returns `f` (NULL stays NULL). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_filter_retain(f: *mut sawmill_filter) -> *mut sawmill_filter {
    // SAFETY: forwarded C contract.
    unsafe { super::retain_arc::<FilterHandle, sawmill_filter>(f) }
}

/// Gives back one reference (loggers and handlers keep their own). NULL is a
/// no-op. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn sawmill_filter_release(f: *mut sawmill_filter) {
    // SAFETY: forwarded C contract.
    unsafe { super::release_arc::<FilterHandle, sawmill_filter>(f) }
}

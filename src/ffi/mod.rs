//! The C ABI (lands with the FFI work).

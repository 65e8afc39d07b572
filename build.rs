//! Compiles the C shim: the printf-style entry points, which stable Rust
//! cannot define (C variadics). Also gives the shared library its SONAME.

use std::path::Path;

/// The ABI major version; the shared library is `libsawmill.so.0`.
const SONAME: &str = "libsawmill.so.0";

fn main() {
    println!("cargo:rerun-if-changed=src/ffi/shim.c");
    println!("cargo:rerun-if-changed=src/ffi/deferred.c");
    println!("cargo:rerun-if-changed=include/sawmill.h");
    cc::Build::new()
        .file("src/ffi/shim.c")
        .file("src/ffi/deferred.c")
        .include("include")
        .flag_if_supported("-std=c99")
        .warnings(true)
        .extra_warnings(true)
        .flag_if_supported("-Wpedantic")
        .compile("sawmill_shim");

    // Programs linked with -lsawmill record the SONAME, so the loader looks
    // for libsawmill.so.0: a link next to the cargo output lets programs
    // built against the build tree (ctest, bench/) find it. OUT_DIR is
    // <profile dir>/build/<pkg>-<hash>/out.
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{SONAME}");
    if let Some(profile_dir) = std::env::var_os("OUT_DIR")
        .as_deref()
        .map(Path::new)
        .and_then(|out| out.ancestors().nth(3))
    {
        let link = profile_dir.join(SONAME);
        if link.symlink_metadata().is_err() {
            // Best effort: a missing link only matters to the loader.
            let _ = std::os::unix::fs::symlink("libsawmill.so", link);
        }
    }
}

//! Compiles the C shim: the printf-style entry points, which stable Rust
//! cannot define (C variadics).

fn main() {
    println!("cargo:rerun-if-changed=src/ffi/shim.c");
    println!("cargo:rerun-if-changed=include/sawmill.h");
    cc::Build::new()
        .file("src/ffi/shim.c")
        .include("include")
        .flag_if_supported("-std=c99")
        .warnings(true)
        .extra_warnings(true)
        .flag_if_supported("-Wpedantic")
        .compile("sawmill_shim");
}

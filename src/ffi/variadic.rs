//! `sawmill_logf` / `sawmill_vlogf`: exported trampolines into the C shim.
//!
//! A cdylib exports only symbols the Rust crate defines, and stable Rust
//! cannot define a C-variadic function. So the shim's implementations are
//! hidden C functions, and these naked functions, defined here and therefore
//! exported, jump to them with every register and the stack untouched: the
//! variadic arguments arrive exactly as the caller passed them.

extern "C" {
    fn sawmill_shim_logf();
    fn sawmill_shim_vlogf();
    fn sawmill_shim_adapter_logf();
    fn sawmill_shim_adapter_vlogf();
    fn sawmill_shim_logf_site();
}

#[cfg(target_arch = "x86_64")]
macro_rules! tail_jump {
    ($target:ident) => {
        core::arch::naked_asm!("jmp {target}", target = sym $target)
    };
}

#[cfg(target_arch = "aarch64")]
macro_rules! tail_jump {
    ($target:ident) => {
        core::arch::naked_asm!("b {target}", target = sym $target)
    };
}

/// Defines an exported function that tail-jumps to `$target`. (Written as a
/// macro so cbindgen, which cannot parse naked functions, skips it; the C
/// prototypes are in cbindgen.toml's trailer.)
macro_rules! trampoline {
    ($name:ident => $target:ident) => {
        #[unsafe(naked)]
        #[no_mangle]
        pub unsafe extern "C" fn $name() {
            tail_jump!($target)
        }
    };
}

trampoline!(sawmill_logf => sawmill_shim_logf);
trampoline!(sawmill_vlogf => sawmill_shim_vlogf);
trampoline!(sawmill_adapter_logf => sawmill_shim_adapter_logf);
trampoline!(sawmill_adapter_vlogf => sawmill_shim_adapter_vlogf);
trampoline!(sawmill_logf_site_ => sawmill_shim_logf_site);

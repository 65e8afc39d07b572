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
    fn sawmill_shim_logf_site_plain();
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

/// `sawmill_logf_site_(site, logger, level, fmt, ...)`, the SAWMILL_LOG
/// macro's call: a logger whose deferred-path answer is settled (its epoch
/// is the configuration's) and says "no queue" goes straight to the
/// synchronous routine, before any variadic set-up, so a plain record pays
/// nothing for the deferred path (DESIGN.md: an unused feature costs
/// nothing). Everything else (NULL arguments, a level below the threshold,
/// a logger that may defer or whose answer is stale) goes to the general
/// routine, which tests it all again. The reads are plain loads, as in the
/// C shim's check: a stale answer only sends a call the general way, or
/// one call the synchronous way, which is always correct. Offsets: the
/// logger's `threshold` 0, `deferred_epoch` 8, `deferred_port` 16 (asserted
/// in src/logger.rs).
/// (A macro, as `trampoline!`, so cbindgen skips it; the C side it jumps to
/// runs inside the library's own checks.)
#[cfg(target_arch = "x86_64")]
macro_rules! site_trampoline {
    ($name:ident) => {
        #[unsafe(naked)]
        #[no_mangle]
        pub unsafe extern "C" fn $name() {
            // rdi = site, rsi = logger, edx = level, rcx = fmt; the variadic
            // arguments (and al, the vector register count) are left untouched.
            core::arch::naked_asm!(
                "test rdi, rdi",
                "jz 2f",
                "test rsi, rsi",
                "jz 2f",
                "test rcx, rcx",
                "jz 2f",
                "movsxd r10, edx",
                "cmp r10, qword ptr [rsi]",
                "jl 2f",
                "mov r10, qword ptr [rip + {epoch}]",
                "cmp r10, qword ptr [rsi + 8]",
                "jne 2f",
                "cmp qword ptr [rsi + 16], 0",
                "jne 2f",
                "jmp {plain}",
                "2:",
                "jmp {general}",
                epoch = sym crate::logger::CONFIG_EPOCH,
                plain = sym sawmill_shim_logf_site_plain,
                general = sym sawmill_shim_logf_site,
            )
        }
    };
}

#[cfg(target_arch = "x86_64")]
site_trampoline!(sawmill_logf_site_);

#[cfg(not(target_arch = "x86_64"))]
trampoline!(sawmill_logf_site_ => sawmill_shim_logf_site);

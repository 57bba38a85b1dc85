// Build script: nothing to generate for the library itself yet; it tells cargo
// which inputs matter so that header checks rerun when they change.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=include");
    // `cargo fuzz` sets --cfg fuzzing (see src/lib.rs, the panic handler).
    println!("cargo::rustc-check-cfg=cfg(fuzzing)");
    // The libc system call path everywhere (src/sys/syscall.rs): the
    // instruction-count check's planted regression.
    println!("cargo::rustc-check-cfg=cfg(liburing_rs_libc_syscall)");
}

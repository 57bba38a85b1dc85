//! The system call instruction of each architecture, for io_uring's three
//! calls: `raw_syscall!(NR, a1, ..., a6)` evaluates to the kernel's answer
//! as a `c_int` (io_uring's calls return an `int`): the value on success,
//! `-errno` on failure.
//!
//! Every architecture we build for issues the instruction itself, as
//! upstream's libc-free build does on x86_64, i386, aarch64 and riscv64 (on
//! armhf, s390x and ppc64el upstream goes through libc's `syscall()`): no
//! call through libc's variadic `syscall()`, no round trip through `errno`.
//! None of the asm blocks says `nomem`: the kernel reads and writes memory
//! the arguments point to, so each is a full compiler barrier.
//!
//! It is a macro so that each argument keeps its own type: the first is the
//! `u32` fd or entry count, the others `u32`, pointers or `usize` as the
//! call declares them. A 32-bit argument goes into its register as it is,
//! with the upper half of a 64-bit register undefined, which the kernel
//! allows (its `SYSCALL_DEFINE` wrappers truncate each argument to its
//! declared type): no zero- or sign-extension is spent on it. `NR` is a
//! constant and becomes an immediate. The sixth argument may be written
//! `const N`, which only i386 uses (the `io_uring_enter` signal-set size, on
//! every submit and wait): there it saves the memory round trip below.
//!
//! `--cfg liburing_rs_libc_syscall` builds the libc path everywhere instead
//! (the instruction-count check's planted regression); it is also what a
//! target without an inline path here gets, and armhf built as Thumb code
//! (where r7 is the frame pointer and cannot be an asm operand).
//!
//! The macros are used only inside `unsafe` blocks of `sys/syscall.rs`,
//! whose callers guarantee that the arguments are valid for the call.

/// x86_64: `syscall`. Number in rax, arguments in rdi, rsi, rdx, r10, r8,
/// r9; the kernel clobbers rcx and r11 and returns in rax.
#[cfg(all(target_arch = "x86_64", not(liburing_rs_libc_syscall)))]
macro_rules! raw_syscall {
    ($nr:expr, $a1:expr, $a2:expr, $a3:expr, $a4:expr, $a5:expr, $(const)? $a6:expr) => {{
        let ret: u64;
        core::arch::asm!(
            "syscall",
            inlateout("rax") $nr as u64 => ret,
            in("rdi") $a1,
            in("rsi") $a2,
            in("rdx") $a3,
            in("r10") $a4,
            in("r8") $a5,
            in("r9") $a6,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
        ret as core::ffi::c_int
    }};
}

/// i386: `int $0x80`, as upstream's i386 build. Number in eax, arguments
/// in ebx, ecx, edx, esi, edi, ebp, result in eax, every other register
/// preserved. esi and ebp cannot be asm operands on x86 (LLVM's base and
/// frame pointers), so the block pushes them, loads them and pops them (the
/// stack is balanced when it ends); the number is an immediate, which
/// leaves eax to bring the fourth argument. A constant sixth argument is an
/// immediate too; any other comes with the fourth through a two-word array
/// on the stack, whose address eax brings instead.
#[cfg(all(target_arch = "x86", not(liburing_rs_libc_syscall)))]
macro_rules! raw_syscall {
    ($nr:expr, $a1:expr, $a2:expr, $a3:expr, $a4:expr, $a5:expr, const $a6:expr) => {{
        let ret: u32;
        core::arch::asm!(
            "push ebp",
            "push esi",
            "mov esi, eax",
            "mov ebp, {a6}",
            "mov eax, {nr}",
            "int 0x80",
            "pop esi",
            "pop ebp",
            nr = const $nr,
            a6 = const $a6,
            inlateout("eax") $a4 => ret,
            in("ebx") $a1,
            in("ecx") $a2,
            in("edx") $a3,
            in("edi") $a5,
        );
        ret as core::ffi::c_int
    }};
    ($nr:expr, $a1:expr, $a2:expr, $a3:expr, $a4:expr, $a5:expr, $a6:expr) => {{
        let fourth_and_sixth: [usize; 2] = [$a4 as usize, $a6 as usize];
        let ret: u32;
        core::arch::asm!(
            "push ebp",
            "push esi",
            "mov esi, dword ptr [eax]",
            "mov ebp, dword ptr [eax + 4]",
            "mov eax, {nr}",
            "int 0x80",
            "pop esi",
            "pop ebp",
            nr = const $nr,
            inlateout("eax") fourth_and_sixth.as_ptr() => ret,
            in("ebx") $a1,
            in("ecx") $a2,
            in("edx") $a3,
            in("edi") $a5,
        );
        ret as core::ffi::c_int
    }};
}

/// aarch64: `svc #0`. Number in x8, arguments in x0-x5, result in x0,
/// every other register preserved.
#[cfg(all(target_arch = "aarch64", not(liburing_rs_libc_syscall)))]
macro_rules! raw_syscall {
    ($nr:expr, $a1:expr, $a2:expr, $a3:expr, $a4:expr, $a5:expr, $(const)? $a6:expr) => {{
        let ret: u32;
        core::arch::asm!(
            "svc #0",
            in("x8") $nr,
            inlateout("x0") $a1 => ret,
            in("x1") $a2,
            in("x2") $a3,
            in("x3") $a4,
            in("x4") $a5,
            in("x5") $a6,
            options(nostack),
        );
        ret as core::ffi::c_int
    }};
}

/// armhf (EABI, ARM mode): `svc #0`. Number in r7, arguments in r0-r5,
/// result in r0, every other register preserved.
#[cfg(all(
    target_arch = "arm",
    not(target_feature = "thumb-mode"),
    not(liburing_rs_libc_syscall)
))]
macro_rules! raw_syscall {
    ($nr:expr, $a1:expr, $a2:expr, $a3:expr, $a4:expr, $a5:expr, $(const)? $a6:expr) => {{
        let ret: u32;
        core::arch::asm!(
            "svc #0",
            in("r7") $nr,
            inlateout("r0") $a1 => ret,
            in("r1") $a2,
            in("r2") $a3,
            in("r3") $a4,
            in("r4") $a5,
            in("r5") $a6,
            options(nostack),
        );
        ret as core::ffi::c_int
    }};
}

/// riscv64: `ecall`. Number in a7, arguments in a0-a5, result in a0,
/// every other register preserved.
#[cfg(all(target_arch = "riscv64", not(liburing_rs_libc_syscall)))]
macro_rules! raw_syscall {
    ($nr:expr, $a1:expr, $a2:expr, $a3:expr, $a4:expr, $a5:expr, $(const)? $a6:expr) => {{
        let ret: u32;
        core::arch::asm!(
            "ecall",
            in("a7") $nr,
            inlateout("a0") $a1 => ret,
            in("a1") $a2,
            in("a2") $a3,
            in("a3") $a4,
            in("a4") $a5,
            in("a5") $a6,
            options(nostack),
        );
        ret as core::ffi::c_int
    }};
}

/// s390x: `svc 0` with the number in r1 (io_uring's numbers do not fit the
/// instruction's 8-bit immediate), arguments in r2-r7, result in r2, every
/// other register preserved.
#[cfg(all(target_arch = "s390x", not(liburing_rs_libc_syscall)))]
macro_rules! raw_syscall {
    ($nr:expr, $a1:expr, $a2:expr, $a3:expr, $a4:expr, $a5:expr, $(const)? $a6:expr) => {{
        let ret: u32;
        core::arch::asm!(
            "svc 0",
            in("r1") $nr,
            inlateout("r2") $a1 => ret,
            in("r3") $a2,
            in("r4") $a3,
            in("r5") $a4,
            in("r6") $a5,
            in("r7") $a6,
            options(nostack),
        );
        ret as core::ffi::c_int
    }};
}

/// ppc64el: `sc`. Number in r0, arguments in r3-r8, result in r3; the
/// kernel reports failure in cr0.SO with a positive errno in r3, which the
/// branch turns into `-errno` like everywhere else, and may change r0,
/// r4-r12, cr0, ctr and xer.
#[cfg(all(target_arch = "powerpc64", not(liburing_rs_libc_syscall)))]
macro_rules! raw_syscall {
    ($nr:expr, $a1:expr, $a2:expr, $a3:expr, $a4:expr, $a5:expr, $(const)? $a6:expr) => {{
        let ret: u32;
        core::arch::asm!(
            "sc",
            "bns+ 2f",
            "neg 3, 3",
            "2:",
            inlateout("r0") $nr => _,
            inlateout("r3") $a1 => ret,
            inlateout("r4") $a2 => _,
            inlateout("r5") $a3 => _,
            inlateout("r6") $a4 => _,
            inlateout("r7") $a5 => _,
            inlateout("r8") $a6 => _,
            lateout("r9") _,
            lateout("r10") _,
            lateout("r11") _,
            lateout("r12") _,
            lateout("cr0") _,
            lateout("ctr") _,
            lateout("xer") _,
            options(nostack),
        );
        ret as core::ffi::c_int
    }};
}

/// The libc path: libc's `syscall()`, with `errno` turned back into
/// `-errno`.
#[cfg(any(
    liburing_rs_libc_syscall,
    not(any(
        target_arch = "x86_64",
        target_arch = "x86",
        target_arch = "aarch64",
        all(target_arch = "arm", not(target_feature = "thumb-mode")),
        target_arch = "riscv64",
        target_arch = "s390x",
        target_arch = "powerpc64",
    ))
))]
macro_rules! raw_syscall {
    ($nr:expr, $a1:expr, $a2:expr, $a3:expr, $a4:expr, $a5:expr, $(const)? $a6:expr) => {{
        use core::ffi::c_long;
        let ret = libc::syscall(
            $nr,
            $a1 as c_long,
            $a2 as c_long,
            $a3 as c_long,
            $a4 as c_long,
            $a5 as c_long,
            $a6 as c_long,
        );
        if ret < 0 {
            -*libc::__errno_location()
        } else {
            ret as core::ffi::c_int
        }
    }};
}

pub(super) use raw_syscall;

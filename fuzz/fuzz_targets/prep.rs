//! Every prep helper twice on the same arguments: the static inline C
//! function of our liburing.h (what a C program compiles in) and the Rust
//! export of liburing-ffi (what other languages call). Both start from the
//! same 128 bytes of garbage; afterwards the two SQEs must be identical byte
//! for byte. The dispatchers are generated from the header by build.rs.

#![no_main]

use libfuzzer_sys::fuzz_target;
use liburing_rs_fuzz::Input;
use uring::sys::io_uring_sqe;

include!(concat!(env!("OUT_DIR"), "/prep_dispatch.rs"));

extern "C" {
    fn prep_c(idx: u32, sqe: *mut io_uring_sqe, a: *const u64);
}

/// Room for a 128-byte SQE, aligned like the SQE array.
#[repr(C, align(64))]
struct Sqe128([u8; 128]);

/// A 64-bit argument, often an edge value.
fn arg(inp: &mut Input) -> u64 {
    match inp.u8() % 8 {
        0 => 0,
        1 => u64::MAX,
        2 => 0xffff_ffff,
        3 => inp.u32() as i32 as i64 as u64,
        4 => 1u64 << (inp.u8() % 64),
        5 => inp.u8() as u64,
        _ => inp.u64(),
    }
}

// build.rs fails when it reads fewer helpers than the header defines; an empty
// table would make this target fuzz nothing.
const _: () = assert!(PREP_COUNT > 0);

fuzz_target!(|data: &[u8]| {
    let mut inp = Input::new(data);
    // What pointer arguments point at (the helpers store them, and the
    // harness makes sure they would be valid to follow anyway).
    let mem = [0u8; 512];
    while !inp.is_empty() {
        let idx = inp.below(PREP_COUNT as u32) as usize;
        let mut a = [0u64; 8];
        for (k, slot) in a.iter_mut().enumerate() {
            *slot = arg(&mut inp);
            if PREP_PTR_MASK[idx] & (1 << k) != 0 {
                *slot = if *slot == 0 {
                    0
                } else {
                    mem.as_ptr() as u64 + (*slot % 256)
                };
            }
        }
        let fill = inp.u8();
        let mut c = Sqe128([fill; 128]);
        for (i, b) in c.0.iter_mut().enumerate() {
            *b ^= (i as u8).wrapping_mul(inp.u8() | 1);
        }
        let mut r = Sqe128(c.0);
        // SAFETY: both buffers hold 128 writable bytes; a has 8 arguments.
        unsafe {
            prep_c(idx as u32, c.0.as_mut_ptr().cast(), a.as_ptr());
            prep_rust(idx, r.0.as_mut_ptr().cast(), &a);
        }
        if c.0 != r.0 {
            let diff: Vec<usize> = (0..128).filter(|&i| c.0[i] != r.0[i]).collect();
            panic!(
                "{}: C and Rust SQEs differ at bytes {:?} (args {:#x?})\nC:    {:02x?}\nRust: {:02x?}",
                PREP_NAMES[idx], diff, a, c.0, r.0
            );
        }
    }
});

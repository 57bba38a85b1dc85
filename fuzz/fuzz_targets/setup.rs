//! Arbitrary entry counts and io_uring_params into the library's real
//! io_uring_queue_init_params / io_uring_queue_init_mem on the real kernel.
//!
//! Checked on every input: no crash; a result of 0 (or, for _mem, a byte
//! count) or -errno; on success a ring whose sizes, masks and pointers agree
//! with the params the kernel returned, that takes a NOP, and that
//! io_uring_queue_exit tears down; and afterwards exactly the file
//! descriptors and memory mappings that existed before (read from
//! /proc/self/fd and /proc/self/maps around each input), so no error path
//! leaks a ring fd or a ring mapping.

#![no_main]

use std::collections::BTreeSet;
use std::io::Read;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use liburing_rs_fuzz::Input;
use uring::capi::{
    io_uring_get_sqe, io_uring_peek_batch_cqe, io_uring_queue_exit, io_uring_queue_init_mem,
    io_uring_queue_init_params, io_uring_submit,
};
use uring::ring::io_uring;
use uring::sys::*;

fn fds() -> BTreeSet<String> {
    std::fs::read_dir("/proc/self/fd")
        .expect("read /proc/self/fd")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// The process's mappings, without the brk heap and the stack (which the
/// harness's own allocations move).
fn maps(buf: &mut String) -> Vec<String> {
    buf.clear();
    std::fs::File::open("/proc/self/maps")
        .and_then(|mut f| f.read_to_string(buf))
        .expect("read /proc/self/maps");
    buf.lines()
        .filter(|l| !l.ends_with("[heap]") && !l.ends_with("[stack]"))
        .map(|l| l.to_owned())
        .collect()
}

/// A ring that ATTACH_WQ inputs may name, made once.
fn helper_ring_fd() -> i32 {
    static FD: OnceLock<i32> = OnceLock::new();
    *FD.get_or_init(|| {
        let mut p = io_uring_params::default();
        // SAFETY: p is a valid params struct.
        unsafe { io_uring_setup(4, &mut p) }
    })
}

fn is_mapped(p: *const u8) -> bool {
    let page = (p as usize) & !4095;
    // SAFETY: msync only probes; ENOMEM means nothing is mapped there.
    unsafe { libc::msync(page as *mut libc::c_void, 1, libc::MS_ASYNC) == 0 }
}

fn entries(inp: &mut Input) -> u32 {
    match inp.u8() % 7 {
        0 => 0,
        1 => 1 << inp.below(17),
        2 => inp.below(300),
        3 => inp.u32(),
        4 => (1 << 15) + inp.below(3),
        5 => (1 << 16) + inp.below(3),
        _ => u32::MAX - inp.below(3),
    }
}

fn setup_flags(inp: &mut Input) -> u32 {
    match inp.u8() % 8 {
        // Any combination of the flags the kernel knows.
        0..=3 => inp.u32() & ((1 << 21) - 1),
        // One flag, so single features get explored on their own.
        4 | 5 => 1 << inp.below(22),
        // Anything, unknown bits included.
        6 => inp.u32(),
        _ => 0,
    }
}

fn check_ring(ring: &io_uring, p: &io_uring_params) {
    let sq = &ring.sq;
    let cq = &ring.cq;
    assert!(sq.ring_entries.is_power_of_two() && cq.ring_entries.is_power_of_two());
    assert_eq!(sq.ring_entries, p.sq_entries);
    assert_eq!(cq.ring_entries, p.cq_entries);
    assert_eq!(sq.ring_mask, sq.ring_entries - 1);
    assert_eq!(cq.ring_mask, cq.ring_entries - 1);
    assert_eq!(ring.flags, p.flags);
    assert_eq!(ring.features, p.features);
    for w in [sq.khead, sq.ktail, sq.kflags, cq.khead, cq.ktail, cq.cqes as *mut u32] {
        assert!(
            !w.is_null() && is_mapped(w as *const u8),
            "ring pointer {w:p} not mapped"
        );
    }
    assert!(is_mapped(sq.sqes as *const u8));
    if p.flags & IORING_SETUP_REGISTERED_FD_ONLY == 0 {
        assert!(ring.ring_fd >= 0);
    }
    // SAFETY: the ring is set up; head and tail are mapped words.
    unsafe {
        assert_eq!(*cq.khead, *cq.ktail, "a new ring has completions");
        assert_eq!(*sq.khead, *sq.ktail);
    }
}

/// Submits a NOP (unless the ring starts disabled) and reaps without waiting.
fn use_ring(ring: &mut io_uring, p: &io_uring_params) {
    if p.flags & IORING_SETUP_R_DISABLED != 0 {
        return;
    }
    // SAFETY: ring is a live ring of this library.
    unsafe {
        let sqe = io_uring_get_sqe(ring);
        assert!(!sqe.is_null(), "a new ring has no free SQE");
        uring::prep::prep_nop(&mut *sqe);
        (*sqe).user_data = 42;
        let ret = io_uring_submit(ring);
        assert!(ret == 1 || (-4095..0).contains(&ret), "io_uring_submit returned {ret}");
        let mut cqes = [std::ptr::null_mut(); 4];
        let n = io_uring_peek_batch_cqe(ring, cqes.as_mut_ptr(), 4);
        assert!(n <= 4);
    }
}

fuzz_target!(|data: &[u8]| {
    let mut inp = Input::new(data);
    let helper = helper_ring_fd();
    let mut buf = String::with_capacity(1 << 16);
    let fds_before = fds();
    let maps_before = maps(&mut buf);

    let n = entries(&mut inp);
    let mut p = io_uring_params {
        flags: setup_flags(&mut inp),
        ..Default::default()
    };
    p.cq_entries = entries(&mut inp);
    p.sq_thread_cpu = if inp.bool() { inp.below(4) } else { inp.u32() };
    p.sq_thread_idle = inp.below(50);
    p.features = if inp.bool() { 0 } else { inp.u32() };
    p.wq_fd = match inp.u8() % 4 {
        0 => helper as u32,
        1 => u32::MAX,
        2 => inp.below(8),
        _ => inp.u32(),
    };
    if inp.u8() == 0xff {
        p.resv = [inp.u32(), inp.u32(), inp.u32()];
    }
    if inp.bool() {
        // Offsets are outputs, except user_addr with NO_MMAP, which
        // io_uring_queue_init_params must fill itself.
        p.sq_off.user_addr = inp.u64();
        p.cq_off.user_addr = inp.u64();
    }
    let with_mem = inp.u8().is_multiple_of(4);
    let mem_len = match inp.u8() % 4 {
        0 => 2 << 20,
        1 => 4096 * (1 + inp.below(64) as usize),
        2 => inp.below(1 << 16) as usize,
        _ => 0,
    };

    let mut ring = io_uring::zeroed();
    // Page-aligned memory the caller owns, as io_uring_queue_init_mem wants;
    // mapped directly so that no allocator keeps it after it is released.
    let map_len = mem_len.div_ceil(4096).max(1) * 4096;
    let mem = if with_mem {
        // SAFETY: a fresh anonymous mapping.
        let m = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                map_len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert!(m != libc::MAP_FAILED);
        m
    } else {
        std::ptr::null_mut()
    };
    let ret = if with_mem {
        let ptr = if mem_len == 0 { std::ptr::null_mut() } else { mem };
        // SAFETY: ptr has mem_len bytes that outlive the ring.
        unsafe { io_uring_queue_init_mem(n, &mut ring, &mut p, ptr, mem_len) }
    } else {
        // SAFETY: ring and p are valid.
        unsafe { io_uring_queue_init_params(n, &mut ring, &mut p) }
    };
    if ret >= 0 {
        // io_uring_queue_init_mem with a NULL buffer allocates the ring
        // memory itself, like NO_MMAP through io_uring_queue_init_params.
        let app_mem = with_mem && mem_len != 0;
        if app_mem {
            assert!(ret as usize <= mem_len, "init_mem used {ret} of {mem_len} bytes");
        } else if with_mem {
            assert!(ret > 0, "init_mem reported {ret} bytes used");
        } else {
            assert_eq!(ret, 0);
        }
        check_ring(&ring, &p);
        use_ring(&mut ring, &p);
        let (sq_ptr, cq_ptr, sqes) = (ring.sq.ring_ptr, ring.cq.ring_ptr, ring.sq.sqes);
        // SAFETY: a live ring of this library.
        unsafe { io_uring_queue_exit(&mut ring) };
        if !app_mem {
            for q in [sq_ptr.cast::<u8>(), cq_ptr.cast(), sqes.cast()] {
                assert!(
                    !is_mapped(q),
                    "ring memory {q:p} still mapped after io_uring_queue_exit"
                );
            }
        }
    } else {
        assert!(ret >= -4095, "setup returned {ret}");
    }
    if with_mem {
        // SAFETY: our mapping, no longer used by any ring.
        unsafe { libc::munmap(mem, map_len) };
    }

    let fds_after = fds();
    assert_eq!(
        fds_before, fds_after,
        "file descriptors leaked or closed (setup returned {ret})"
    );
    let maps_after = maps(&mut buf);
    if maps_before != maps_after {
        let gone: Vec<_> = maps_before.iter().filter(|l| !maps_after.contains(l)).collect();
        let new: Vec<_> = maps_after.iter().filter(|l| !maps_before.contains(l)).collect();
        panic!("mappings changed (setup returned {ret}): new {new:#?} gone {gone:#?}");
    }
});

//! Checked mode: validation of what crosses the C ABI, for debugging
//! bindings and programs.
//!
//! `LIBURING_CHECK` in the environment selects the mode once per process:
//! unset, empty, `0` or `off`: no checks; `warn`: a misuse prints one line
//! on stderr and the call goes on as usual; anything else (`1`, `abort`):
//! the line is printed and the process aborts (SIGABRT). The variable is
//! read by an ELF constructor when the library is loaded, or on the first
//! hooked call if no constructor ran (a static link that dropped it).
//!
//! Cost when checks are off: each hooked export compares its ring pointer
//! with a static word ([`slow_path`]), which is also its NULL-ring test;
//! everything behind it is `#[cold]` and out of line (see [`hooked`]).
//!
//! What is checked (each with its own function below):
//! - the ring was set up by this library and not torn down since
//!   ([`ring_entry`], via a marker in the padding of `struct io_uring`);
//! - `io_uring_cq_advance`/`io_uring_cqe_seen` never move the CQ head past
//!   the kernel's tail;
//! - a CQE handed back to `io_uring_cqe_seen` points to a slot of this
//!   ring's CQ array;
//! - `io_uring_peek_batch_cqe` gets an array when it is asked to fill one;
//! - every SQE taken with `io_uring_get_sqe` was prepared before it is
//!   submitted (fresh SQEs carry a poison opcode until a prep helper
//!   overwrites it);
//! - no two threads consume completions of one ring at once, and none
//!   consumes while another waits (several may wait together).
//!
//! State lives in padding of `struct io_uring` that liburing never uses
//! (library-private, see docs/FFI.md):
//! - `pad2`: [`RING_LIVE`] after a successful set-up, [`RING_DEAD`] after
//!   `io_uring_queue_exit`, anything else for a ring never set up;
//! - `cq.pad` (both words, as one 64-bit value): the thread id of the
//!   consumer inside a completion call and the number of threads waiting
//!   (`io_uring_resize_rings` replaces `cq` and so clears it, which is
//!   right: nobody may be completing during a resize).
//!
//! The report is assembled in a stack buffer and written with write(2): no
//! allocation, no stdio.

use core::ffi::CStr;
use core::ptr;
use core::sync::atomic::{AtomicU64, AtomicU8, AtomicUsize, Ordering};

use crate::ring::io_uring;
use crate::sys::*;

/// `pad2` of a ring that a set-up call of this library filled in.
pub const RING_LIVE: u32 = 0x6c69_7665;
/// `pad2` of a ring after `io_uring_queue_exit`.
pub const RING_DEAD: u32 = 0x6465_6164;
/// Opcode written into every SQE that `io_uring_get_sqe` hands out in
/// checked mode; no kernel opcode has this value.
pub const SQE_POISON_OPCODE: u8 = 0xff;

const MODE_OFF: u8 = 0;
const MODE_ABORT: u8 = 1;
const MODE_WARN: u8 = 2;
/// Before the environment has been read: treated as "maybe on", so the
/// first hooked call takes the cold path and reads it.
const MODE_UNREAD: u8 = 0xff;

static MODE: AtomicU8 = AtomicU8::new(MODE_UNREAD);

/// The highest ring address that must take a hook's out-of-line path: 0 when
/// checks are off (only a NULL ring goes there, to get its error), the
/// whole address space when they are on or the mode is not read yet.
static SLOW_PATH_BELOW_OR_AT: AtomicUsize = AtomicUsize::new(usize::MAX);

fn set_mode(m: u8) {
    // Relaxed: both words are written once (constructor or first call) and
    // every writer stores the same values; a stale gate only sends a call to
    // the out-of-line path, which reads MODE itself.
    MODE.store(m, Ordering::Relaxed);
    let gate = if m == MODE_OFF { 0 } else { usize::MAX };
    SLOW_PATH_BELOW_OR_AT.store(gate, Ordering::Relaxed);
}

/// Whether checks are on (or the mode is not read yet), for the exports
/// without a hook (`ring_or!`) and the set-up calls; hooked exports use
/// [`slow_path`] instead.
#[inline(always)]
pub(crate) fn active() -> bool {
    // Relaxed: MODE is written once (constructor or first call) and every
    // writer stores the same value.
    MODE.load(Ordering::Relaxed) != MODE_OFF
}

/// Whether a hooked export called with `ring` leaves its inline path: for a
/// NULL ring, or for every ring while checks are on. One compare against a
/// static word covers both, so the NULL test a C-ABI entry needs anyway is
/// also the whole cost of checked mode when it is off.
#[inline(always)]
pub(crate) fn slow_path(ring: *const io_uring) -> bool {
    // Relaxed: see set_mode.
    ring as usize <= SLOW_PATH_BELOW_OR_AT.load(Ordering::Relaxed)
}

/// The mode from the variable's value (`None`: unset).
pub fn parse_mode(value: Option<&[u8]>) -> u8 {
    match value {
        None | Some(b"" | b"0" | b"off") => MODE_OFF,
        Some(b"warn") => MODE_WARN,
        Some(_) => MODE_ABORT,
    }
}

fn mode_from_env() -> u8 {
    // SAFETY: getenv with a NUL-terminated name; the result, when not NULL,
    // is a NUL-terminated string that stays valid while nobody calls setenv,
    // and it is read at once.
    let value = unsafe {
        let v = libc::getenv(c"LIBURING_CHECK".as_ptr());
        if v.is_null() {
            None
        } else {
            Some(CStr::from_ptr(v).to_bytes())
        }
    };
    parse_mode(value)
}

/// The current mode, reading the environment the first time.
#[cold]
fn mode() -> u8 {
    let m = MODE.load(Ordering::Relaxed);
    if m != MODE_UNREAD {
        return m;
    }
    let m = mode_from_env();
    set_mode(m);
    m
}

extern "C" fn read_mode_at_load() {
    set_mode(mode_from_env());
}

/// Runs when the shared object is loaded (or a static program starts), so
/// that the mode is known before the first call.
#[used]
#[link_section = ".init_array"]
static READ_MODE_AT_LOAD: extern "C" fn() = read_mode_at_load;

/// The body of a hooked export: run inline on the fast path, or inside the
/// named `crate::check` hook, which checks around it, when [`slow_path`]
/// says so (a NULL ring, or checks on):
///
/// ```text
/// check::hooked!(advancing(ring, nr), (
///     ring: *mut io_uring,
///     nr: c_uint,
/// ) -> (), { ... })
/// ```
///
/// The first hook argument is the ring; the hook gets the export's name
/// after it (derived from the enclosing function, as `ring_or!` does), then
/// the other arguments. The parameter list repeats the export's, one
/// parameter per line when there are several. The body becomes an inline function of those parameters; the
/// checked path is a separate cold function that the export reaches with a
/// tail call, so the fast path needs no stack frame for it. The hooks are
/// inlined there around the body and do their checking in out-of-line
/// helpers, so each body exists twice (fast and checked), no more, and no
/// closure or vtable is left behind. `return` inside the body returns from
/// the body.
macro_rules! hooked {
    ($hook:ident($ring:expr $(, $arg:expr)* $(,)?), ($($p:ident: $t:ty),* $(,)?) -> $ret:ty, $body:block) => {{
        #[inline(always)]
        unsafe fn body($($p: $t),*) -> $ret $body

        #[cold]
        #[inline(never)]
        unsafe fn checked($($p: $t),*) -> $ret {
            fn __here() {}
            let func = $crate::check::export_name(core::any::type_name_of_val(&__here));
            // SAFETY: a hook takes the export's own arguments and checks
            // them before it reads through them; the body uses them as the
            // export does on the fast path.
            unsafe { $crate::check::$hook($ring, func, $($arg,)* || body($($p),*)) }
        }

        if $crate::check::slow_path($ring) {
            // SAFETY: the export's own arguments, passed on.
            return unsafe { checked($($p),*) };
        }
        // SAFETY: the export's own arguments, passed on.
        unsafe { body($($p),*) }
    }};
}
pub(crate) use hooked;

// ---- the report ----

/// One line of text in a fixed buffer; what does not fit is cut, and the
/// line always ends with a newline.
pub struct Line {
    buf: [u8; 480],
    len: usize,
}

impl Line {
    pub const fn new() -> Self {
        Line { buf: [0; 480], len: 0 }
    }

    #[inline(never)]
    pub fn text(&mut self, s: &str) -> &mut Self {
        for &b in s.as_bytes() {
            self.byte(b);
        }
        self
    }

    #[inline(never)]
    pub fn dec(&mut self, v: u64) -> &mut Self {
        // Digits from the right end of a buffer, then copied in order.
        let mut digits = [0u8; 20];
        let mut used = 0;
        let mut rest = v;
        for d in digits.iter_mut().rev() {
            *d = b'0' + (rest % 10) as u8;
            rest /= 10;
            used += 1;
            if rest == 0 {
                break;
            }
        }
        for &d in digits.iter().skip(digits.len().saturating_sub(used)) {
            self.byte(d);
        }
        self
    }

    #[inline(never)]
    pub fn signed(&mut self, v: i64) -> &mut Self {
        if v < 0 {
            self.byte(b'-');
        }
        self.dec(v.unsigned_abs())
    }

    #[inline(never)]
    pub fn hex(&mut self, v: u64) -> &mut Self {
        self.text("0x");
        // Significant digits only (at least one), most significant first;
        // a loop over a run-time count stays a loop (16 unrolled steps cost
        // 800 bytes of a library whose size is budgeted).
        let mut digits = (64 - v.leading_zeros()).div_ceil(4).max(1);
        while digits > 0 {
            digits -= 1;
            let nibble = ((v >> (digits * 4)) & 0xf) as u8;
            self.byte(if nibble < 10 { b'0' + nibble } else { b'a' + nibble - 10 });
        }
        self
    }

    /// Appends one byte, keeping the last byte of the buffer for the
    /// newline. (No indexing that could panic: the library must not pull
    /// in core's panic machinery, see `export_name`.)
    #[inline(never)]
    fn byte(&mut self, b: u8) {
        if self.len + 1 < self.buf.len() {
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
    }

    /// The text with its final newline.
    #[inline(never)]
    pub fn finish(&mut self) -> &[u8] {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b'\n';
        }
        self.buf.get(..self.len + 1).unwrap_or(&[])
    }
}

impl Default for Line {
    fn default() -> Self {
        Self::new()
    }
}

/// Writes the whole of `bytes` to fd 2, leaving errno as it was (in warn
/// mode the caller's errno must not change behind its back).
#[cold]
#[inline(never)]
fn write_stderr(mut bytes: &[u8]) {
    // SAFETY: __errno_location always returns this thread's errno.
    let errno = unsafe { libc::__errno_location() };
    // SAFETY: as above.
    let saved = unsafe { *errno };
    while !bytes.is_empty() {
        // SAFETY: bytes is a live buffer of bytes.len() bytes.
        let n = unsafe { libc::write(2, bytes.as_ptr().cast(), bytes.len()) };
        if n > 0 {
            bytes = bytes.get(n as usize..).unwrap_or(&[]);
        } else if n < 0 {
            // SAFETY: as above.
            if unsafe { *errno } != libc::EINTR {
                break;
            }
        } else {
            break;
        }
    }
    // SAFETY: as above.
    unsafe { *errno = saved };
}

/// Prints `liburing check: <func>: ring <addr> (fd <fd>): <problem>` and
/// aborts unless the mode is `warn`.
#[cold]
#[inline(never)]
fn report(func: &str, ring: *const io_uring, problem: &dyn Fn(&mut Line)) {
    let mut line = Line::new();
    line.text("liburing check: ").text(func).text(": ring ");
    if ring.is_null() {
        line.text("NULL");
    } else {
        // SAFETY: a non-NULL ring pointer from the caller points to a struct
        // io_uring (set up or not, its fields are plain integers).
        let fd = unsafe { ptr::addr_of!((*ring).ring_fd).read() };
        line.hex(ring as u64).text(" (fd ").signed(fd as i64).text(")");
    }
    line.text(": ");
    problem(&mut line);
    write_stderr(line.finish());
    if mode() != MODE_WARN {
        // SAFETY: abort has no preconditions.
        unsafe { libc::abort() };
    }
}

// ---- ring state ----

fn ring_state(ring: *const io_uring) -> u32 {
    // SAFETY: the caller passes a non-NULL pointer to a struct io_uring.
    unsafe { ptr::addr_of!((*ring).pad2).read() }
}

/// Whether `ring` was set up by this library and not torn down; reports
/// otherwise. Further checks read ring memory only when this is true.
#[cold]
#[inline(never)]
fn ring_usable(ring: *const io_uring, func: &str) -> bool {
    if ring.is_null() {
        report(func, ring, &|l| {
            l.text("the ring pointer is NULL");
        });
        return false;
    }
    match ring_state(ring) {
        RING_LIVE => true,
        RING_DEAD => {
            report(func, ring, &|l| {
                l.text("ring used after io_uring_queue_exit tore it down");
            });
            false
        }
        other => {
            report(func, ring, &|l| {
                l.text("ring was never set up by io_uring_queue_init* (or its set-up failed); library-private marker ")
                    .hex(other as u64);
            });
            false
        }
    }
}

/// The exported function's name from the type name of a function item
/// declared inside it (`uring::capi::queue::io_uring_submit::{{closure}}::f`):
/// the first path segment that starts with `io_uring` or `__io_uring`.
///
/// Written without `str::split` or slicing that can panic: either would
/// pull core's panic and string-search code into liburing.a, whose objects
/// need an unwinding personality that a C program linking it statically
/// does not have.
pub fn export_name(type_name: &'static str) -> &'static str {
    let bytes = type_name.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let mut end = start;
        while end < bytes.len() && bytes.get(end) != Some(&b':') {
            end += 1;
        }
        if let Some(segment) = type_name.get(start..end) {
            if segment.starts_with("io_uring") || segment.starts_with("__io_uring") {
                return segment;
            }
        }
        start = end + 2;
    }
    type_name
}

/// Checks a ring on entry to an export (used by `ring_or!` and the hooks of
/// read-only helpers).
#[cold]
#[inline(never)]
pub unsafe fn ring_entry(ring: *const io_uring, func: &str) {
    if mode() != MODE_OFF {
        ring_usable(ring, func);
    }
}

/// Runs `body` after checking the ring (for exports without further checks).
///
/// Every hook is inlined into the export's cold `checked` function, around
/// the export's body; the checking itself happens in out-of-line helpers
/// that look at the mode first, so the body is compiled once per path.
#[inline(always)]
pub unsafe fn ring_call<R>(ring: *const io_uring, func: &str, body: impl FnOnce() -> R) -> R {
    // SAFETY: forwarded contract.
    unsafe { ring_entry(ring, func) };
    body()
}

/// Marks a ring that a set-up call just filled in as live.
#[cold]
#[inline(never)]
pub unsafe fn mark_live(ring: *mut io_uring) {
    if mode() == MODE_OFF || ring.is_null() {
        return;
    }
    // SAFETY: the set-up call succeeded on this non-NULL ring, which the
    // caller owns; padding is ours to write.
    unsafe {
        ptr::addr_of_mut!((*ring).pad2).write(RING_LIVE);
        ptr::addr_of_mut!((*ring).cq.pad).write([0; 2]);
    }
}

/// `io_uring_queue_exit`: the ring must be live; afterwards it is dead.
#[inline(always)]
pub unsafe fn exiting(ring: *mut io_uring, func: &str, body: impl FnOnce()) {
    let checking = exit_entry(ring, func);
    body();
    if checking {
        exit_done(ring);
    }
}

/// Checks a ring about to be torn down; whether checks are on.
#[cold]
#[inline(never)]
fn exit_entry(ring: *mut io_uring, func: &str) -> bool {
    if mode() == MODE_OFF {
        return false;
    }
    if !ring.is_null() && ring_state(ring) == RING_DEAD {
        report(func, ring, &|l| {
            l.text("io_uring_queue_exit called twice on the same ring");
        });
    } else {
        ring_usable(ring, func);
    }
    true
}

#[cold]
#[inline(never)]
fn exit_done(ring: *mut io_uring) {
    if !ring.is_null() {
        // SAFETY: non-NULL ring owned by the caller; padding is ours.
        unsafe { ptr::addr_of_mut!((*ring).pad2).write(RING_DEAD) };
    }
}

// ---- the completion side: one consumer at a time ----
//
// Two kinds of completion calls:
// - consumers look at or move the CQ head (peek, peek_batch, seen,
//   advance): one thread at a time, and not while another thread waits,
//   since the waiter would then return CQEs the consumer takes;
// - waiters block until completions arrive (wait_cqe*, __io_uring_get_cqe,
//   submit_and_wait_timeout ...): several may wait at once (the kernel wakes
//   them all), but not while another thread consumes.
// The state is one 64-bit word over `cq.pad` (8-byte aligned: offset 184 of
// struct io_uring): the consumer's thread id in the low half (0: none), the
// number of threads waiting in the high half.

const WAITER: u64 = 1 << 32;
const OWNER_MASK: u64 = WAITER - 1;

fn current_thread() -> u32 {
    // SAFETY: gettid has no preconditions.
    (unsafe { libc::syscall(libc::SYS_gettid) }) as u32
}

/// The completion-side state word of a ring.
///
/// # Safety
/// `ring` must be a non-NULL pointer to a live ring.
unsafe fn completion_word<'a>(ring: *mut io_uring) -> &'a AtomicU64 {
    // SAFETY: cq.pad is 8 bytes at offset 184 of an 8-byte aligned struct,
    // inside the caller's ring; every access to it goes through this atomic.
    unsafe { AtomicU64::from_ptr(ptr::addr_of_mut!((*ring).cq.pad).cast::<u64>()) }
}

/// What a completion hook did on entry, to undo on the way out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Claim {
    /// Nothing to undo: checks off, ring not live, a nested call, or a
    /// conflict that was reported.
    None,
    Consumer,
    Waiter,
}

#[cold]
#[inline(never)]
fn report_conflict(ring: *mut io_uring, func: &str, me: u32, state: u64, consuming: bool) {
    let owner = (state & OWNER_MASK) as u32;
    let waiters = state >> 32;
    report(func, ring, &|l| {
        l.text("thread ").dec(me as u64);
        l.text(if consuming {
            " consumes completions"
        } else {
            " waits for completions"
        });
        if owner != 0 {
            l.text(" while thread ")
                .dec(owner as u64)
                .text(" is inside a completion call");
        } else {
            l.text(" while ")
                .dec(waiters)
                .text(" other thread(s) wait for completions");
        }
        l.text(" on the same ring; the CQ side (peek, wait, seen, advance) must be used by one thread at a time");
    });
}

/// Takes the completion side of a live ring for this thread, as a consumer
/// or as one more waiter; reports a conflicting thread.
fn claim(ring: *mut io_uring, func: &str, consuming: bool) -> Claim {
    let me = current_thread();
    // SAFETY: called only for live rings.
    let word = unsafe { completion_word(ring) };
    // Acquire/Release on this word pair the claims of threads with each
    // other (it is padding only the library touches, not kernel memory).
    let mut state = word.load(Ordering::Relaxed);
    loop {
        let owner = (state & OWNER_MASK) as u32;
        if owner == me {
            // A nested call of the thread that already consumes.
            return Claim::None;
        }
        let conflict = owner != 0 || (consuming && state >> 32 != 0);
        if conflict {
            report_conflict(ring, func, me, state, consuming);
            return Claim::None;
        }
        let next = if consuming { state | me as u64 } else { state + WAITER };
        match word.compare_exchange_weak(state, next, Ordering::Acquire, Ordering::Relaxed) {
            Ok(_) => return if consuming { Claim::Consumer } else { Claim::Waiter },
            Err(now) => state = now,
        }
    }
}

fn release(ring: *mut io_uring, claim: Claim) {
    // SAFETY: the ring was live when the claim was made.
    let word = unsafe { completion_word(ring) };
    match claim {
        Claim::None => {}
        // Release pairs with the next claimer's Acquire.
        Claim::Consumer => {
            word.fetch_and(!OWNER_MASK, Ordering::Release);
        }
        Claim::Waiter => {
            word.fetch_sub(WAITER, Ordering::Release);
        }
    }
}

/// What a completion hook found on entry.
struct Entry {
    live: bool,
    claim: Claim,
}

#[cold]
#[inline(never)]
fn enter_completion(ring: *mut io_uring, func: &str, consuming: bool) -> Entry {
    if mode() == MODE_OFF {
        return Entry {
            live: false,
            claim: Claim::None,
        };
    }
    let live = ring_usable(ring, func);
    let claim = if live {
        claim(ring, func, consuming)
    } else {
        Claim::None
    };
    Entry { live, claim }
}

/// Runs a hooked call's body after its entry checks (already made, the
/// argument), then releases what they claimed.
#[inline(always)]
fn around<R>(ring: *mut io_uring, claim: Claim, body: impl FnOnce() -> R) -> R {
    let r = body();
    if claim != Claim::None {
        release(ring, claim);
    }
    r
}

/// Runs a consuming call that has no further checks (`io_uring_peek_cqe`,
/// `__io_uring_peek_cqe`) as the ring's one consumer.
#[inline(always)]
pub unsafe fn consuming<R>(ring: *mut io_uring, func: &str, body: impl FnOnce() -> R) -> R {
    around(ring, enter_completion(ring, func, true).claim, body)
}

/// Runs a waiting call (`io_uring_wait_cqe*`, `__io_uring_get_cqe`) as one
/// of the ring's waiters.
#[inline(always)]
pub unsafe fn waiting<R>(ring: *mut io_uring, func: &str, body: impl FnOnce() -> R) -> R {
    around(ring, enter_completion(ring, func, false).claim, body)
}

/// Reports an advance of the CQ head by `nr` slots beyond the kernel's tail.
#[cold]
#[inline(never)]
fn check_advance(ring: *const io_uring, nr: u32, func: &str) {
    // SAFETY: called only for live rings, whose CQ is mapped.
    let r = unsafe { &*ring };
    let head = r.load_cq_head();
    let tail = r.load_cq_tail();
    let posted = tail.wrapping_sub(head);
    if nr > posted {
        report(func, ring, &|l| {
            l.text("advancing the CQ by ")
                .dec(nr as u64)
                .text(" but the kernel has posted only ")
                .dec(posted as u64)
                .text(" unconsumed CQE slots (head ")
                .dec(head as u64)
                .text(", tail ")
                .dec(tail as u64)
                .text(")");
        });
    }
}

/// `io_uring_cq_advance` and the buffer-ring forms that advance the CQ.
#[inline(always)]
pub unsafe fn advancing(ring: *mut io_uring, func: &str, nr: u32, body: impl FnOnce()) {
    around(ring, advance_entry(ring, nr, func).claim, body)
}

#[cold]
#[inline(never)]
fn advance_entry(ring: *mut io_uring, nr: u32, func: &str) -> Entry {
    let entry = enter_completion(ring, func, true);
    if entry.live {
        check_advance(ring, nr, func);
    }
    entry
}

/// Whether `cqe` points to the start of a slot of `ring`'s CQ array;
/// reports otherwise.
#[cold]
#[inline(never)]
fn cqe_in_ring(ring: *const io_uring, cqe: *const io_uring_cqe, func: &str) -> bool {
    // SAFETY: called only for live rings.
    let r = unsafe { &*ring };
    let base = r.cq.cqes as u64;
    let slot = core::mem::size_of::<io_uring_cqe>() as u64;
    let end = base + ((r.cq.ring_entries as u64) << r.cqe_shift()) * slot;
    let p = cqe as u64;
    if p < base || p >= end {
        report(func, ring, &|l| {
            l.text("CQE pointer ")
                .hex(p)
                .text(" is not inside this ring's CQ array [")
                .hex(base)
                .text(", ")
                .hex(end)
                .text("); pass the pointer the library returned, not a copy of the CQE");
        });
        return false;
    }
    // Mixed rings have 16-byte slots; CQE32 rings 32-byte entries.
    let stride = if r.flags & IORING_SETUP_CQE_MIXED != 0 {
        slot
    } else {
        slot << r.cqe_shift()
    };
    if !(p - base).is_multiple_of(stride) {
        report(func, ring, &|l| {
            l.text("CQE pointer ")
                .hex(p)
                .text(" is not at the start of a CQ slot (")
                .dec(stride)
                .text("-byte CQEs from ")
                .hex(base)
                .text(")");
        });
        return false;
    }
    true
}

/// `io_uring_cqe_seen`: the CQE must be one of this ring's, and marking it
/// seen must not pass the kernel's tail.
#[inline(always)]
pub unsafe fn seeing(ring: *mut io_uring, func: &str, cqe: *const io_uring_cqe, body: impl FnOnce()) {
    around(ring, seen_entry(ring, cqe, func).claim, body)
}

#[cold]
#[inline(never)]
fn seen_entry(ring: *mut io_uring, cqe: *const io_uring_cqe, func: &str) -> Entry {
    let entry = enter_completion(ring, func, true);
    if entry.live && !cqe.is_null() && cqe_in_ring(ring, cqe, func) {
        // SAFETY: cqe is inside this ring's CQ array.
        let nr = unsafe { crate::cq_iter::cqe_nr(cqe) };
        check_advance(ring, nr, func);
    }
    entry
}

/// `io_uring_peek_batch_cqe`: an array is needed whenever `count` is not 0.
#[inline(always)]
pub unsafe fn peeking_batch<R>(
    ring: *mut io_uring,
    func: &str,
    cqes: *mut *mut io_uring_cqe,
    count: u32,
    body: impl FnOnce() -> R,
) -> R {
    around(ring, peek_batch_entry(ring, cqes, count, func).claim, body)
}

#[cold]
#[inline(never)]
fn peek_batch_entry(ring: *mut io_uring, cqes: *mut *mut io_uring_cqe, count: u32, func: &str) -> Entry {
    let entry = enter_completion(ring, func, true);
    if entry.live && cqes.is_null() && count != 0 {
        report(func, ring, &|l| {
            l.text("cqes is NULL but count is ")
                .dec(count as u64)
                .text(": pass an array of count struct io_uring_cqe pointers");
        });
    }
    entry
}

// ---- the submission side ----

/// How many 64-byte slots the SQE at `sqe` occupies on `ring`.
fn sqe_slots(ring: &io_uring, opcode: u8) -> u32 {
    if ring.flags & IORING_SETUP_SQE_MIXED != 0 && (opcode == IORING_OP_NOP128 || opcode == IORING_OP_URING_CMD128) {
        2
    } else {
        1
    }
}

/// Reports the first SQE about to be published that still carries the
/// poison opcode of a fresh `io_uring_get_sqe`.
#[cold]
#[inline(never)]
fn check_prepared(ring: *const io_uring, func: &str) {
    // SAFETY: called only for live rings, whose SQE array is mapped.
    let r = unsafe { &*ring };
    let (start, end) = if r.flags & IORING_SETUP_SQ_REWIND != 0 {
        (0, r.sq.sqe_tail)
    } else {
        (r.sq.sqe_head, r.sq.sqe_tail)
    };
    let pending = end.wrapping_sub(start);
    if pending > r.sq.ring_entries {
        report(func, ring, &|l| {
            l.text("SQ bookkeeping is corrupt: ")
                .dec(pending as u64)
                .text(" SQEs pending in a ring of ")
                .dec(r.sq.ring_entries as u64)
                .text(" (sqe_head ")
                .dec(r.sq.sqe_head as u64)
                .text(", sqe_tail ")
                .dec(r.sq.sqe_tail as u64)
                .text(")");
        });
        return;
    }
    let mut index = start;
    let mut left = pending;
    let mut first_bad = None;
    let mut bad = 0u32;
    while left > 0 {
        let slot = ((index & r.sq.ring_mask) as usize) << r.sqe_shift();
        // SAFETY: slot < ring_entries << shift, inside the SQE array.
        let opcode = unsafe { (*r.sq.sqes.add(slot)).opcode };
        if opcode == SQE_POISON_OPCODE {
            first_bad.get_or_insert(index & r.sq.ring_mask);
            bad += 1;
        }
        let step = sqe_slots(r, opcode).min(left);
        index = index.wrapping_add(step);
        left -= step;
    }
    if let Some(slot) = first_bad {
        report(func, ring, &|l| {
            l.text("submitting ")
                .dec(bad as u64)
                .text(" SQE(s) taken with io_uring_get_sqe but never prepared (first in slot ")
                .dec(slot as u64)
                .text(", opcode still checked mode's poison 0xff); prepare every SQE you take");
        });
    }
}

/// Calls that publish SQEs (`io_uring_submit*`); `completes` for those that
/// also reap a CQE (`io_uring_submit_and_wait_timeout` and friends).
#[inline(always)]
pub unsafe fn submitting<R>(ring: *mut io_uring, func: &str, completes: bool, body: impl FnOnce() -> R) -> R {
    around(ring, submit_entry(ring, func, completes), body)
}

#[cold]
#[inline(never)]
fn submit_entry(ring: *mut io_uring, func: &str, completes: bool) -> Claim {
    if mode() == MODE_OFF {
        return Claim::None;
    }
    let live = ring_usable(ring, func);
    if live {
        check_prepared(ring, func);
    }
    if completes && live {
        claim(ring, func, false)
    } else {
        Claim::None
    }
}

/// `io_uring_get_sqe`/`io_uring_get_sqe128`: the SQE handed out carries the
/// poison opcode until it is prepared.
#[inline(always)]
pub unsafe fn getting_sqe(
    ring: *mut io_uring,
    func: &str,
    body: impl FnOnce() -> *mut io_uring_sqe,
) -> *mut io_uring_sqe {
    let checking = get_sqe_entry(ring, func);
    let sqe = body();
    if checking && !sqe.is_null() {
        // SAFETY: a fresh SQE slot that now belongs to the caller.
        unsafe { (*sqe).opcode = SQE_POISON_OPCODE };
    }
    sqe
}

#[cold]
#[inline(never)]
fn get_sqe_entry(ring: *mut io_uring, func: &str) -> bool {
    if mode() == MODE_OFF {
        return false;
    }
    ring_usable(ring, func);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: impl FnOnce(&mut Line)) -> std::string::String {
        let mut l = Line::new();
        f(&mut l);
        std::string::String::from_utf8(l.finish().to_vec()).unwrap()
    }

    #[test]
    fn numbers_are_formatted_by_hand() {
        assert_eq!(
            text(|l| {
                l.dec(0);
            }),
            "0\n"
        );
        assert_eq!(
            text(|l| {
                l.dec(u64::MAX);
            }),
            "18446744073709551615\n"
        );
        assert_eq!(
            text(|l| {
                l.signed(-11).text(" ").signed(i64::MIN);
            }),
            "-11 -9223372036854775808\n"
        );
        assert_eq!(
            text(|l| {
                l.hex(0).text(" ").hex(0x7ffd_0000_1f40);
            }),
            "0x0 0x7ffd00001f40\n"
        );
    }

    #[test]
    fn long_lines_are_cut_but_end_with_a_newline() {
        let s = text(|l| {
            for _ in 0..100 {
                l.text("0123456789");
            }
        });
        assert_eq!(s.len(), 480);
        assert!(s.ends_with("9\n") || s.ends_with("\n"));
        assert_eq!(s.matches('\n').count(), 1);
    }

    #[test]
    fn modes_from_the_environment_value() {
        assert_eq!(parse_mode(None), MODE_OFF);
        assert_eq!(parse_mode(Some(b"")), MODE_OFF);
        assert_eq!(parse_mode(Some(b"0")), MODE_OFF);
        assert_eq!(parse_mode(Some(b"off")), MODE_OFF);
        assert_eq!(parse_mode(Some(b"warn")), MODE_WARN);
        assert_eq!(parse_mode(Some(b"1")), MODE_ABORT);
        assert_eq!(parse_mode(Some(b"abort")), MODE_ABORT);
    }

    #[test]
    fn export_names_from_type_names() {
        assert_eq!(
            export_name("uring::capi::queue::io_uring_submit::{{closure}}::__here"),
            "io_uring_submit"
        );
        assert_eq!(
            export_name("uring::capi::queue::__io_uring_get_cqe::__here"),
            "__io_uring_get_cqe"
        );
        fn __here() {}
        assert!(core::any::type_name_of_val(&__here).ends_with("::__here"));
    }

    #[test]
    fn ring_state_values_are_distinct_from_a_zeroed_ring() {
        let ring = io_uring::zeroed();
        assert_ne!(ring.pad2, RING_LIVE);
        assert_ne!(ring.pad2, RING_DEAD);
        assert_ne!(RING_LIVE, RING_DEAD);
    }
}

//! The atomics through which the ring code reaches memory shared with the
//! kernel, in one place so that a model checker can stand in for them.
//!
//! In every shipped build these are `core`'s atomics applied to the kernel's
//! words (`AtomicU32::from_ptr`), inlined to the very same instructions as
//! before this module existed. In the model build (`RUSTFLAGS="--cfg loom"`,
//! unit tests only, `make test-ordering`) they are loom's: the model puts the
//! addresses of loom atomics into `struct io_uring`'s `khead`/`ktail`/`kflags`
//! fields, so the real ring code's cast lands on loom objects and loom explores
//! the weak-memory behaviours of every access (see `src/tests/ordering.rs` and
//! `docs/ORDERING.md`).

#[cfg(not(all(loom, test)))]
pub use core::sync::atomic::{fence, AtomicU16, AtomicU32, Ordering};

/// The kernel-shared 32-bit word at `p` as an atomic.
///
/// # Safety
/// `p` must be valid, aligned and shared only through atomic accesses for `'a`.
#[cfg(not(all(loom, test)))]
#[inline(always)]
pub unsafe fn atomic_u32<'a>(p: *mut u32) -> &'a AtomicU32 {
    // SAFETY: guaranteed by the caller.
    unsafe { AtomicU32::from_ptr(p) }
}

/// The kernel-shared 16-bit word at `p` (a buffer ring's tail) as an atomic.
///
/// # Safety
/// As for [`atomic_u32`].
#[cfg(not(all(loom, test)))]
#[inline(always)]
pub unsafe fn atomic_u16<'a>(p: *mut u16) -> &'a AtomicU16 {
    // SAFETY: guaranteed by the caller.
    unsafe { AtomicU16::from_ptr(p) }
}

/// A plain read of a kernel-shared 16-bit word that only the application
/// writes (a buffer ring's tail), as C's `br->tail`.
///
/// # Safety
/// `p` must be valid and aligned for a read.
#[cfg(not(all(loom, test)))]
#[inline(always)]
pub unsafe fn read_app_u16(p: *const u16) -> u16 {
    // SAFETY: guaranteed by the caller.
    unsafe { p.read() }
}

#[cfg(all(loom, test))]
pub use model::*;

/// The model build's stand-ins: loom's atomics behind wrappers that can weaken
/// one access site, chosen at run time, to plant a historic barrier bug.
#[cfg(all(loom, test))]
mod model {
    pub use core::sync::atomic::Ordering;
    use std::panic::Location;
    use std::sync::Mutex;

    /// The planted site: `file:line:op` (op `load`, `store`, `fence`, `rmw`),
    /// e.g. `src/ring.rs:262:load`. Its ordering becomes Relaxed (a fence
    /// disappears); every other site keeps its own.
    static PLANT: Mutex<Option<String>> = Mutex::new(None);
    /// Whether the planted site ran at least once.
    static PLANT_HIT: Mutex<bool> = Mutex::new(false);

    pub fn set_plant(site: Option<String>) {
        *PLANT.lock().unwrap() = site;
        *PLANT_HIT.lock().unwrap() = false;
    }

    pub fn plant_hit() -> bool {
        *PLANT_HIT.lock().unwrap()
    }

    fn planted(loc: &Location<'_>, op: &str) -> bool {
        let plant = PLANT.lock().unwrap();
        let Some(site) = plant.as_deref() else {
            return false;
        };
        let here = format!("{}:{}:{}", loc.file(), loc.line(), op);
        if site == here {
            *PLANT_HIT.lock().unwrap() = true;
            return true;
        }
        false
    }

    fn weaken(ord: Ordering, loc: &Location<'_>, op: &str) -> Ordering {
        if planted(loc, op) {
            Ordering::Relaxed
        } else {
            ord
        }
    }

    macro_rules! model_atomic {
        ($name:ident, $int:ty, $loom:ty) => {
            /// A loom atomic that the model allocates and whose address it
            /// puts where the ring expects a kernel word.
            #[repr(transparent)]
            pub struct $name($loom);

            impl $name {
                pub fn new(v: $int) -> Self {
                    $name(<$loom>::new(v))
                }
                #[track_caller]
                pub fn load(&self, ord: Ordering) -> $int {
                    self.0.load(weaken(ord, Location::caller(), "load"))
                }
                #[track_caller]
                pub fn store(&self, v: $int, ord: Ordering) {
                    self.0.store(v, weaken(ord, Location::caller(), "store"))
                }
                #[track_caller]
                pub fn fetch_or(&self, v: $int, ord: Ordering) -> $int {
                    self.0.fetch_or(v, weaken(ord, Location::caller(), "rmw"))
                }
                #[track_caller]
                pub fn fetch_and(&self, v: $int, ord: Ordering) -> $int {
                    self.0.fetch_and(v, weaken(ord, Location::caller(), "rmw"))
                }
            }
        };
    }
    model_atomic!(AtomicU32, u32, loom::sync::atomic::AtomicU32);
    model_atomic!(AtomicU16, u16, loom::sync::atomic::AtomicU16);

    #[track_caller]
    pub fn fence(ord: Ordering) {
        if !planted(Location::caller(), "fence") {
            loom::sync::atomic::fence(ord);
        }
    }

    /// # Safety
    /// `p` must be the address of a live [`AtomicU32`] of the model.
    pub unsafe fn atomic_u32<'a>(p: *mut u32) -> &'a AtomicU32 {
        // SAFETY: guaranteed by the caller: the model put a loom atomic there.
        unsafe { &*p.cast::<AtomicU32>() }
    }

    /// The 16-bit words (a buffer ring's tail) sit inside a C struct where
    /// no loom object fits; the model registers a loom atomic per address.
    static WORDS16: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());

    /// Makes `atomic` stand for the kernel-shared word at `addr` until
    /// [`unregister_u16`].
    pub fn register_u16(addr: *mut u16, atomic: &AtomicU16) {
        let mut words = WORDS16.lock().unwrap();
        // An execution that panicked never unregistered its word.
        words.retain(|&(a, _)| a != addr as usize);
        words.push((addr as usize, atomic as *const AtomicU16 as usize));
    }

    pub fn unregister_u16(addr: *mut u16) {
        WORDS16.lock().unwrap().retain(|&(a, _)| a != addr as usize);
    }

    /// # Safety
    /// `p` must have been registered with [`register_u16`] and its atomic
    /// must still live.
    pub unsafe fn atomic_u16<'a>(p: *mut u16) -> &'a AtomicU16 {
        let words = WORDS16.lock().unwrap();
        let (_, atomic) = words
            .iter()
            .find(|&&(a, _)| a == p as usize)
            .expect("model: a 16-bit kernel word the model did not register");
        // SAFETY: guaranteed by the caller: the registered atomic lives.
        unsafe { &*(*atomic as *const AtomicU16) }
    }

    /// The model kernel's `io_uring_enter(to_submit, min_complete, flags)`.
    pub type EnterHook = std::sync::Arc<dyn Fn(u32, u32, u32) -> i32 + Send + Sync>;
    static ENTER: Mutex<Option<EnterHook>> = Mutex::new(None);

    /// Sets (or clears) what `io_uring_enter` does in the model build.
    /// Returns the hook it replaces, for the caller to drop inside the
    /// execution its loom objects belong to (or to forget).
    pub fn set_enter_hook(hook: Option<EnterHook>) -> Option<EnterHook> {
        std::mem::replace(&mut *ENTER.lock().unwrap(), hook)
    }

    /// `io_uring_enter` in the model build: the scenario's model kernel.
    pub fn model_enter(to_submit: u32, min_complete: u32, flags: u32) -> i32 {
        let hook = ENTER.lock().unwrap().clone();
        let hook = hook.expect("model: io_uring_enter in a scenario without a model kernel for it");
        hook(to_submit, min_complete, flags)
    }

    /// # Safety
    /// As for [`atomic_u16`].
    pub unsafe fn read_app_u16(p: *const u16) -> u16 {
        // SAFETY: guaranteed by the caller. The application owns the word, so
        // a Relaxed load sees its own last store, as a plain read does.
        unsafe { atomic_u16(p.cast_mut()) }.load(Ordering::Relaxed)
    }
}

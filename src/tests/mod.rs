//! Test-only code, kept out of the library's modules: the ring simulator
//! shared by the unit tests and the fuzz crate (built with `--cfg fuzzing`),
//! and the unit tests that span several modules.

// Not in the loom build, which has neither cbindgen nor bindgen.
#[cfg(all(test, not(loom)))]
mod decisions;
#[cfg(all(test, not(loom)))]
mod header_check;
#[cfg(all(test, not(loom)))]
mod layout_check;
#[cfg(all(test, loom))]
mod ordering;
#[cfg(test)]
mod ring_sim;
pub mod sim;

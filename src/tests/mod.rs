//! Test-only code, kept out of the library's modules: the ring simulator
//! shared by the unit tests and the fuzz crate (built with `--cfg fuzzing`),
//! and the unit tests that span several modules.

#[cfg(test)]
mod header_check;
#[cfg(test)]
mod layout_check;
#[cfg(test)]
mod ring_sim;
pub mod sim;

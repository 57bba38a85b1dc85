//! The generated part of the C header must match the Rust C ABI.
//!
//! `include/liburing/liburing-api.h` holds `struct io_uring` (and its SQ/CQ
//! halves) and the declarations of the functions that liburing.so.2 exports.
//! cbindgen writes it from `src/ring.rs` and `src/capi/`; the file is checked
//! in so that C users need no Rust tooling. This test regenerates it and fails
//! when a byte differs; `UPDATE_HEADERS=1 cargo test header_check` rewrites it.
//!
//! What cbindgen is told to leave out, and why:
//! * the uapi types of `src/sys/` (structs, unions, typedefs): C gets them from
//!   `<liburing/io_uring.h>`, cbindgen only names them (`struct io_uring_sqe *`);
//! * every helper that liburing-ffi.so.2 exports on top of liburing.so.2
//!   (liburing-ffi.map minus liburing.map), and `io_uring_get_sqe`: liburing.h
//!   defines those `static inline` (or declares them itself in the FFI form);
//! * `io_uring_register_iowq_aff`: its `cpu_set_t` parameter only exists with
//!   `_GNU_SOURCE`, so liburing.h declares it by hand behind that macro.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const GENERATED: &str = "include/liburing/liburing-api.h";

/// Declared by hand in include/liburing.h (see the module comment).
const HAND_DECLARED: &[&str] = &["io_uring_get_sqe", "io_uring_register_iowq_aff"];

/// C structs that include/liburing.h defines itself.
const HAND_DEFINED_TYPES: &[&str] = &["io_uring_cqe_iter", "io_uring_zcrx_rq", "__u64"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The global symbols of a version script.
fn map_symbols(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut syms = BTreeSet::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.ends_with(':') || line.contains('{') || line.contains('}') {
            continue;
        }
        if let Some(name) = line.strip_suffix(';') {
            if name != "*" && !name.is_empty() {
                syms.insert(name.trim().to_string());
            }
        }
    }
    syms
}

/// The structs, unions and type aliases that `src/sys/` defines, each with
/// the way C code names it (`struct X`, `union X`, or `X` for a typedef).
fn uapi_types() -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    let dir = root().join("src/sys");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            for line in std::fs::read_to_string(&path).unwrap().lines() {
                let line = line.trim_start();
                for (kw, tag) in [("pub struct ", "struct "), ("pub union ", "union "), ("pub type ", "")] {
                    if let Some(rest) = line.strip_prefix(kw) {
                        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                        if !name.is_empty() {
                            names.insert(name.clone(), format!("{tag}{name}"));
                        }
                    }
                }
            }
        }
    }
    names
}

fn generate() -> String {
    let root = root();
    let mut config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    let base = map_symbols(&root.join("liburing.map"));
    let ffi = map_symbols(&root.join("liburing-ffi.map"));
    assert!(base.len() >= 83 && ffi.len() >= 222, "version scripts look truncated");
    let mut exclude: BTreeSet<String> = ffi.difference(&base).cloned().collect();
    exclude.extend(HAND_DECLARED.iter().map(|s| s.to_string()));
    exclude.extend(HAND_DEFINED_TYPES.iter().map(|s| s.to_string()));
    // Left out, but still named with their C tag where they are used.
    // cbindgen matches exclusions by bare name, and one uapi struct shares
    // its name with an exported function (io_uring_clone_buffers): such a
    // struct is not reachable from any signature, so it needs no exclusion.
    for (name, c_name) in uapi_types() {
        if base.contains(&name) {
            continue;
        }
        exclude.insert(name.clone());
        if name != c_name {
            config.export.rename.insert(name, c_name);
        }
    }
    config.export.exclude.extend(exclude);
    let mut out = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(root.join("src/lib.rs"))
        .generate()
        .expect("cbindgen failed")
        .write(&mut out);
    String::from_utf8(out).expect("cbindgen wrote UTF-8")
}

/// Every function the generated header declares.
fn declared_functions(header: &str) -> BTreeSet<String> {
    let code: String = header
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join(" ");
    code.split(';')
        .filter(|decl| decl.trim_end().ends_with("LIBURING_NOEXCEPT"))
        .filter_map(|decl| {
            let head = &decl[..decl.find('(')?];
            let name = head.rsplit(|c: char| !(c.is_alphanumeric() || c == '_')).next()?;
            Some(name.to_string())
        })
        .collect()
}

#[test]
fn generated_header_is_current() {
    let path = root().join(GENERATED);
    let fresh = generate();
    if std::env::var_os("UPDATE_HEADERS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != fresh {
        let line = current
            .lines()
            .zip(fresh.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(current.lines().count().min(fresh.lines().count()));
        panic!(
            "{GENERATED} is stale (first difference at line {}); regenerate it with \
             `UPDATE_HEADERS=1 cargo test --release header_check` and commit the result",
            line + 1
        );
    }
}

/// The generated declarations plus the hand-written ones cover exactly the
/// symbols of liburing.so.2.
#[test]
fn generated_header_declares_every_exported_function() {
    let base = map_symbols(&root().join("liburing.map"));
    let mut declared = declared_functions(&generate());
    declared.extend(HAND_DECLARED.iter().map(|s| s.to_string()));
    let missing: Vec<_> = base.difference(&declared).collect();
    let extra: Vec<_> = declared.difference(&base).collect();
    assert!(missing.is_empty(), "exported but not declared: {missing:?}");
    assert!(extra.is_empty(), "declared but not in liburing.map: {extra:?}");
    assert_eq!(base.len(), 83);
}

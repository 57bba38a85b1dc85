//! Layout check of our Rust ABI types against upstream liburing 2.15's C header.
//!
//! The compile-time `assert_layout!` checks in `sys/types.rs` and `ring.rs`
//! state numbers we wrote down; this test takes the numbers from upstream's
//! header itself:
//!
//! 1. bindgen (libclang) translates upstream's `liburing.h`, configured for this
//!    machine by `capi-tests/lib/upstream-build.sh --configure-only`, into Rust source.
//! 2. A small program that includes that source and prints the size, alignment
//!    and every field's offset and size is compiled with `rustc` and run. (The
//!    generated source carries bindgen's own layout assertions, so it only
//!    compiles if rustc lays the types out as clang did.)
//! 3. Each of our types is compared with upstream's: same size and alignment;
//!    every field of ours sits where the upstream field of the same name sits,
//!    or, where we fold a C union into one representative field (`op_flags`
//!    for `rw_flags`/`poll32_events`/...), where an upstream member of the same
//!    size sits; and our fields tile every upstream top-level member exactly
//!    (no byte of a C member left uncovered, none shared by two of our fields).
//!
//! A `#[repr(C)]` struct of `src/sys/*.rs` or `src/ring.rs` that shares its
//! name with an upstream struct but is missing from [`our_types`] fails the
//! test, so a new mirror cannot escape the comparison.
//!
//! Needs libclang (`capi-tests/ensure-deps.sh`, run by `make test-rust`) and
//! the upstream tree (`capi-tests/fetch-upstream.sh`; `LIBURING_UPSTREAM_SRC`
//! or `LIBURING_UPSTREAM_INCLUDE` override it).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// One field as laid out by a compiler.
#[derive(Clone, Debug)]
struct Field {
    name: String,
    offset: usize,
    size: usize,
    /// Last path segment of the field's Rust type (bindgen side only).
    ty: String,
}

#[derive(Clone, Debug, Default)]
struct Layout {
    size: usize,
    align: usize,
    fields: Vec<Field>,
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Upstream's include directory, with the configure-generated headers.
fn upstream_include() -> PathBuf {
    if let Ok(dir) = std::env::var("LIBURING_UPSTREAM_INCLUDE") {
        return PathBuf::from(dir);
    }
    let script = manifest_dir().join("capi-tests/lib/upstream-build.sh");
    let out = Command::new("bash")
        .arg(&script)
        .arg("--configure-only")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    assert!(
        out.status.success(),
        "{} failed (it fetches and configures upstream liburing 2.15):\n{}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = String::from_utf8(out.stdout).expect("path is UTF-8");
    PathBuf::from(dir.trim()).join("src/include")
}

fn libclang_present() -> bool {
    let mut dirs: Vec<PathBuf> = std::env::var_os("LIBCLANG_PATH")
        .map(|p| vec![PathBuf::from(p)])
        .unwrap_or_default();
    if let Ok(rd) = std::fs::read_dir("/usr/lib") {
        dirs.extend(
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("llvm-")))
                .map(|p| p.join("lib")),
        );
    }
    dirs.push("/usr/lib/x86_64-linux-gnu".into());
    dirs.push("/usr/lib64".into());
    dirs.iter().any(|d| {
        std::fs::read_dir(d).is_ok_and(|rd| {
            rd.flatten().any(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n.starts_with("libclang.so")
                    || (n.starts_with("libclang-") && n[9..].starts_with(|c: char| c.is_ascii_digit()))
            })
        })
    })
}

/// Types with their fields, read from bindgen's struct and union definitions.
/// (Its layout assertions would name the types too, but they skip the
/// anonymous members `__bindgen_anon_N` we need to flatten C's unions.)
/// A field is (name, wrapped): `wrapped` when bindgen represents a member of a
/// C union it could not make a Rust union as `__BindgenUnionField<T>`, a
/// zero-sized marker whose member really is a `T`.
fn defined_items(bindings: &str) -> BTreeMap<String, Vec<(String, bool)>> {
    let mut items = BTreeMap::new();
    for kw in ["pub struct ", "pub union "] {
        let mut rest = bindings;
        while let Some(at) = rest.find(kw) {
            rest = &rest[at + kw.len()..];
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            let after = rest[name.len()..].trim_start();
            // Generic and tuple structs are bindgen's helpers, not C types.
            if name.is_empty() || !after.starts_with('{') {
                continue;
            }
            let body = &after[1..after.find('}').expect("closing brace")];
            let mut fields = Vec::new();
            for decl in split_top_commas(body) {
                // Private fields belong to bindgen's opaque placeholders.
                let Some(decl) = decl.trim().strip_prefix("pub ") else {
                    continue;
                };
                let decl = decl.trim_start();
                let field: String = decl.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if let Some(ty) = decl[field.len()..].trim_start().strip_prefix(':') {
                    if !field.is_empty() {
                        fields.push((field, ty.trim_start().starts_with("__BindgenUnionField")));
                    }
                }
            }
            items.insert(name, fields);
        }
    }
    // Only complete types: bindgen asserts the size of each of those.
    let sized: BTreeSet<&str> = bindings
        .split('"')
        .skip(1)
        .step_by(2)
        .filter_map(|q| q.strip_prefix("Size of "))
        .collect();
    items.retain(|name, _| sized.contains(name.as_str()));
    items
}

/// Split at commas outside of `<>`, `[]` and `()`.
fn split_top_commas(s: &str) -> Vec<&str> {
    let (mut out, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '<' | '[' | '(' => depth += 1,
            '>' | ']' | ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// Upstream's layouts, computed once per test binary.
fn upstream_layouts() -> &'static BTreeMap<String, Layout> {
    static CELL: OnceLock<BTreeMap<String, Layout>> = OnceLock::new();
    CELL.get_or_init(compute_upstream_layouts)
}

fn compute_upstream_layouts() -> BTreeMap<String, Layout> {
    assert!(
        libclang_present(),
        "libclang not found: bindgen needs it. Run capi-tests/ensure-deps.sh \
         (apt-get install libclang-dev) or set LIBCLANG_PATH"
    );
    let inc = upstream_include();
    let header = inc.join("liburing.h");
    assert!(header.exists(), "{} missing", header.display());
    let work = manifest_dir().join("target/layout-check-rs");
    std::fs::create_dir_all(&work).expect("create work directory");

    let bindings = bindgen::Builder::default()
        .header(header.to_string_lossy())
        .clang_arg(format!("-I{}", inc.display()))
        .clang_arg("-D_GNU_SOURCE")
        .allowlist_file(format!("{}/.*", regex_escape(&inc.to_string_lossy())))
        .allowlist_type("__kernel_timespec")
        .layout_tests(true)
        .derive_debug(false)
        .derive_default(false)
        .generate()
        .expect("bindgen could not translate upstream's liburing.h")
        .to_string();
    let bindings_rs = work.join("upstream_bindings.rs");
    std::fs::write(&bindings_rs, &bindings).expect("write bindings");

    let items = defined_items(&bindings);
    assert!(
        items.contains_key("io_uring_sqe") && items.contains_key("io_uring") && items.len() > 40,
        "bindgen's output defines only {} types: {}",
        items.len(),
        bindings_rs.display()
    );

    let mut main = String::from(
        "#![allow(warnings)]\n\
         mod up { include!(\"upstream_bindings.rs\"); }\n\
         fn fsize<T, F>(_: fn(*const T) -> *const F) -> (usize, &'static str) {\n\
         \x20   (core::mem::size_of::<F>(), core::any::type_name::<F>())\n\
         }\n\
         fn fsize_u<T, F>(_: fn(*const T) -> *const up::__BindgenUnionField<F>) -> (usize, &'static str) {\n\
         \x20   (core::mem::size_of::<F>(), core::any::type_name::<F>())\n\
         }\n\
         fn main() {\n",
    );
    for (ty, fields) in &items {
        writeln!(
            main,
            "    println!(\"T {ty} {{}} {{}}\", core::mem::size_of::<up::{ty}>(), core::mem::align_of::<up::{ty}>());"
        )
        .unwrap();
        for (f, wrapped) in fields {
            let fsize = if *wrapped { "fsize_u" } else { "fsize" };
            writeln!(
                main,
                "    {{ let (s, t) = {fsize}::<up::{ty}, _>(|p| unsafe {{ core::ptr::addr_of!((*p).{f}) }});\n\
                 \x20     println!(\"F {ty} {f} {{}} {{}} {{}}\", core::mem::offset_of!(up::{ty}, {f}), s, t); }}"
            )
            .unwrap();
        }
    }
    main.push_str("}\n");
    let main_rs = work.join("upstream_layout.rs");
    std::fs::write(&main_rs, main).expect("write program");

    let exe = work.join("upstream_layout");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(&rustc)
        .args(["--edition", "2021", "-o"])
        .arg(&exe)
        .arg(&main_rs)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {rustc}: {e}"));
    assert!(
        out.status.success(),
        "compiling {} failed:\n{}",
        main_rs.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(&exe).output().expect("run layout program");
    assert!(out.status.success(), "{} failed", exe.display());

    let mut layouts: BTreeMap<String, Layout> = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let w: Vec<&str> = line.split(' ').collect();
        match w.as_slice() {
            ["T", ty, size, align] => {
                let l = layouts.entry(ty.to_string()).or_default();
                l.size = size.parse().unwrap();
                l.align = align.parse().unwrap();
            }
            ["F", ty, name, off, size, rest @ ..] => {
                let tyname = rest.join(" ");
                let last = tyname.rsplit("::").next().unwrap_or(&tyname).to_string();
                layouts.entry(ty.to_string()).or_default().fields.push(Field {
                    name: name.to_string(),
                    offset: off.parse().unwrap(),
                    size: size.parse().unwrap(),
                    ty: last,
                });
            }
            _ => panic!("unexpected line from the layout program: {line}"),
        }
    }
    layouts
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if "\\.+*?()|[]{}^$".contains(c) {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect()
}

/// Every named member reachable without naming a bindgen anonymous member:
/// C lets a program write `sqe->rw_flags` through the anonymous union.
fn leaves(all: &BTreeMap<String, Layout>, ty: &str, base: usize, out: &mut Vec<Field>) {
    for f in &all[ty].fields {
        if f.name.starts_with("__bindgen_anon_") {
            leaves(all, &f.ty, base + f.offset, out);
        } else {
            out.push(Field {
                offset: base + f.offset,
                ..f.clone()
            });
        }
    }
}

/// `size_of` of the field a (never called) projection closure names.
fn field_size<T, F>(_: fn(*const T) -> *const F) -> usize {
    core::mem::size_of::<F>()
}

macro_rules! ours {
    ($($path:ident :: $ty:ident { $($f:ident),* $(,)? }),* $(,)?) => {
        vec![$(
            (stringify!($ty), Layout {
                size: core::mem::size_of::<crate::$path::$ty>(),
                align: core::mem::align_of::<crate::$path::$ty>(),
                fields: vec![$(Field {
                    name: stringify!($f).to_string(),
                    offset: core::mem::offset_of!(crate::$path::$ty, $f),
                    // SAFETY: the closure only forms a raw field pointer with
                    // addr_of!, and field_size never calls it.
                    size: field_size::<crate::$path::$ty, _>(|p| unsafe { core::ptr::addr_of!((*p).$f) }),
                    ty: String::new(),
                }),*],
            }),
        )*]
    };
}

/// Our Rust mirrors of upstream's structs, with every field. (Our names for
/// C's anonymous aggregates, like `io_uring_bpf_ctx_args`, have no upstream
/// counterpart: they are checked through the struct that contains them.)
#[rustfmt::skip]
fn our_types() -> Vec<(&'static str, Layout)> {
    ours![
        sys::io_uring_bpf_ctx { user_data, opcode, sqe_flags, pdu_size, pad, args },
        sys::io_uring_bpf_filter { opcode, flags, filter_len, pdu_size, resv, filter_ptr, resv2 },
        sys::io_uring_bpf { cmd_type, cmd_flags, resv, filter },
        sys::io_uring_zcrx_rq { khead, ktail, rq_tail, ring_entries, rqes, ring_ptr },
        sys::io_uring_cqe_iter { cqes, mask, shift, head, tail },
        sys::io_uring_query_hdr { next_entry, query_data, query_op, size, result, __resv },
        sys::io_uring_query_opcode { nr_request_opcodes, nr_register_opcodes, feature_flags,
            ring_setup_flags, enter_flags, sqe_flags, nr_query_opcodes, __pad },
        sys::io_uring_query_zcrx { register_flags, area_flags, nr_ctrl_opcodes, features, rq_hdr_size,
            rq_hdr_alignment, __resv2 },
        sys::io_uring_query_scq { hdr_size, hdr_alignment },
        sys::__kernel_timespec { tv_sec, tv_nsec },
        sys::io_uring_sqe { opcode, flags, ioprio, fd, off, addr, len, op_flags, user_data, buf_index,
            personality, file_index, addr3, __pad2 },
        sys::io_uring_attr_pi { flags, app_tag, len, addr, seed, rsvd },
        sys::io_uring_cqe { user_data, res, flags, big_cqe },
        sys::io_sqring_offsets { head, tail, ring_mask, ring_entries, flags, dropped, array, resv1,
            user_addr },
        sys::io_cqring_offsets { head, tail, ring_mask, ring_entries, overflow, cqes, flags, resv1,
            user_addr },
        sys::io_uring_params { sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features, wq_fd,
            resv, sq_off, cq_off },
        sys::io_uring_getevents_arg { sigmask, sigmask_sz, min_wait_usec, ts },
        sys::io_uring_reg_wait { ts, min_wait_usec, flags, sigmask, sigmask_sz, pad, pad2 },
        sys::io_uring_probe_op { op, resv, flags, resv2 },
        sys::io_uring_probe { last_op, ops_len, resv, resv2, ops },
        sys::io_uring_buf { addr, len, bid, resv },
        sys::io_uring_buf_ring { resv1, resv2, resv3, tail },
        sys::io_uring_buf_reg { ring_addr, ring_entries, bgid, flags, min_left, resv },
        sys::io_uring_buf_status { buf_group, head, resv },
        sys::io_uring_rsrc_register { nr, flags, resv2, data, tags },
        sys::io_uring_rsrc_update { offset, resv, data },
        sys::io_uring_rsrc_update2 { offset, resv, data, tags, nr, resv2 },
        sys::io_uring_files_update { offset, resv, fds },
        sys::io_uring_region_desc { user_addr, size, flags, id, mmap_offset, __resv },
        sys::io_uring_mem_region_reg { region_uptr, flags, __resv },
        sys::io_uring_clone_buffers { src_fd, flags, src_off, dst_off, nr, pad },
        sys::io_uring_file_index_range { off, len, resv },
        sys::io_uring_restriction { opcode, op, resv, resv2 },
        sys::io_uring_task_restriction { flags, nr_res, resv, restrictions },
        sys::io_uring_sync_cancel_reg { addr, fd, flags, timeout, opcode, pad, pad2 },
        sys::io_uring_napi { busy_poll_to, prefer_busy_poll, pad, resv },
        sys::io_uring_clock_register { clockid, __resv },
        sys::io_uring_recvmsg_out { namelen, controllen, payloadlen, flags },
        sys::io_timespec { tv_sec, tv_nsec },
        sys::io_uring_zcrx_rqe { off, len, __pad },
        sys::io_uring_zcrx_cqe { off, __pad },
        sys::io_uring_zcrx_offsets { head, tail, rqes, __resv2, __resv },
        sys::io_uring_zcrx_area_reg { addr, len, rq_area_token, flags, dmabuf_fd, __resv2 },
        sys::io_uring_zcrx_ifq_reg { if_idx, if_rxq, rq_entries, flags, area_ptr, region_ptr, offsets,
            zcrx_id, rx_buf_len, __resv },
        sys::zcrx_ctrl_flush_rq { __resv },
        sys::zcrx_ctrl_export { zcrx_fd, __resv1 },
        sys::zcrx_ctrl { zcrx_id, op, __resv, zc_export },
        ring::io_uring_sq { khead, ktail, kring_mask, kring_entries, kflags, kdropped, array, sqes, sqe_head,
            sqe_tail, ring_sz, ring_ptr, ring_mask, ring_entries, sqes_sz, pad },
        ring::io_uring_cq { khead, ktail, kring_mask, kring_entries, kflags, koverflow, cqes, ring_sz,
            ring_ptr, ring_mask, ring_entries, pad },
        ring::io_uring { sq, cq, flags, ring_fd, features, enter_ring_fd, int_flags, pad, pad2 },
    ]
}

/// Problems found comparing one of our types with upstream's.
fn compare(all: &BTreeMap<String, Layout>, name: &str, ours: &Layout) -> Vec<String> {
    let mut errs = Vec::new();
    let Some(up) = all.get(name) else {
        return vec![format!("{name}: upstream's header has no struct of that name")];
    };
    if (up.size, up.align) != (ours.size, ours.align) {
        errs.push(format!(
            "{name}: size/align {}/{} upstream, {}/{} ours",
            up.size, up.align, ours.size, ours.align
        ));
    }
    let mut flat = Vec::new();
    leaves(all, name, 0, &mut flat);

    for f in &ours.fields {
        if let Some(u) = flat.iter().find(|u| u.name == f.name) {
            if (u.offset, u.size) != (f.offset, f.size) {
                errs.push(format!(
                    "{name}.{}: offset/size {}/{} upstream, {}/{} ours",
                    f.name, u.offset, u.size, f.offset, f.size
                ));
            }
            continue;
        }
        // A field named after one member of a C union, or standing for a
        // whole anonymous aggregate (sizes equal, same place).
        let same_place = flat.iter().any(|u| u.offset == f.offset && u.size == f.size)
            || up.fields.iter().any(|u| u.offset == f.offset && u.size == f.size);
        if !same_place {
            errs.push(format!(
                "{name}.{}: no upstream member at offset {} with size {}",
                f.name, f.offset, f.size
            ));
        }
    }

    // Our fields must tile each upstream top-level member that has a size.
    let mut sorted: Vec<&Field> = ours.fields.iter().filter(|f| f.size > 0).collect();
    sorted.sort_by_key(|f| f.offset);
    for w in sorted.windows(2) {
        if w[0].offset + w[0].size > w[1].offset {
            errs.push(format!("{name}: our fields {} and {} overlap", w[0].name, w[1].name));
        }
    }
    for u in up.fields.iter().filter(|u| u.size > 0) {
        let (lo, hi) = (u.offset, u.offset + u.size);
        let mut covered = 0;
        for f in &sorted {
            let (flo, fhi) = (f.offset, f.offset + f.size);
            if fhi <= lo || flo >= hi {
                continue;
            }
            if flo < lo || fhi > hi {
                errs.push(format!(
                    "{name}.{}: bytes {flo}..{fhi} straddle upstream member {} ({lo}..{hi})",
                    f.name, u.name
                ));
            }
            covered += fhi.min(hi) - flo.max(lo);
        }
        if covered != u.size {
            errs.push(format!(
                "{name}: upstream member {} (bytes {lo}..{hi}) is covered by {covered} of its {} bytes",
                u.name, u.size
            ));
        }
    }
    errs
}

/// `#[repr(C)]` struct names declared in one of our source files.
fn repr_c_structs(file: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(file).expect("read source");
    let mut names = BTreeSet::new();
    let mut repr_c = false;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with("#[repr(C") {
            repr_c = true;
        } else if let Some(rest) = l.strip_prefix("pub struct ") {
            if repr_c {
                let n: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                names.insert(n);
            }
            repr_c = false;
        } else if !l.starts_with("#[") && !l.starts_with("///") && !l.is_empty() {
            repr_c = false;
        }
    }
    names
}

#[test]
fn rust_types_match_upstream_header() {
    let all = upstream_layouts();
    let ours = our_types();
    let mut errs = Vec::new();
    for (name, layout) in &ours {
        errs.extend(compare(all, name, layout));
    }
    let listed: BTreeSet<&str> = ours.iter().map(|(n, _)| *n).collect();
    let mut files: Vec<PathBuf> = std::fs::read_dir(manifest_dir().join("src/sys"))
        .expect("src/sys")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.push(manifest_dir().join("src/ring.rs"));
    for file in &files {
        for n in repr_c_structs(file) {
            if all.contains_key(&n) && !listed.contains(n.as_str()) {
                errs.push(format!(
                    "{}: {n} mirrors an upstream struct but is not listed in our_types()",
                    file.display()
                ));
            }
        }
    }
    assert!(errs.is_empty(), "layout differences:\n  {}", errs.join("\n  "));
    eprintln!(
        "layout_check: {} Rust types compared with upstream's header ({} upstream types read)",
        ours.len(),
        all.len()
    );
}

#[test]
fn the_comparison_catches_a_moved_field() {
    // A check that cannot fail proves nothing: shift one of our fields and
    // drop another, and the comparison must say so.
    let all = upstream_layouts();
    let (name, mut sqe) = our_types().into_iter().find(|(n, _)| *n == "io_uring_sqe").unwrap();
    sqe.fields.iter_mut().find(|f| f.name == "len").unwrap().offset += 4;
    assert!(!compare(all, name, &sqe).is_empty());
    let (name, mut cqe) = our_types().into_iter().find(|(n, _)| *n == "io_uring_cqe").unwrap();
    cqe.fields.retain(|f| f.name != "flags");
    let errs = compare(all, name, &cqe);
    assert!(
        errs.iter().any(|e| e.contains("covered by 0 of its 4 bytes")),
        "{errs:?}"
    );
}

// Build script of the fuzz crate: for the `prep` target, reads the prep
// helpers (`io_uring_prep_*`) that ../include/liburing.h defines inline and
// liburing-ffi exports, and generates two dispatchers over them with one
// calling convention (an index, the SQE, eight u64 arguments):
//   - prep_shim.c: calls the header's static inline helper (compiled here
//     with cc against our header, as a C program would inline it);
//   - prep_dispatch.rs: calls the Rust export of the same name
//     (uring::capi::io_uring_prep_*).
// Each argument is converted to the parameter's own C type on both sides.
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

struct Helper {
    name: String,
    /// Parameter types, the SQE included.
    params: Vec<String>,
}

fn param_type(p: &str) -> String {
    // "const struct iovec *iovecs" -> "const struct iovec *"
    let p = p.trim();
    let cut = p
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
        .map(|i| i + 1)
        .unwrap_or(0);
    p[..cut].trim().to_string()
}

fn helpers(header: &str, exported: &str) -> Vec<Helper> {
    let mut out = Vec::new();
    let mut rest = header;
    while let Some(i) = rest.find("IOURINGINLINE void io_uring_prep_") {
        rest = &rest[i + "IOURINGINLINE void ".len()..];
        let open = rest.find('(').unwrap();
        let close = rest.find(')').unwrap();
        let name = rest[..open].trim().to_string();
        let params: Vec<String> = rest[open + 1..close].split(',').map(param_type).collect();
        let listed = exported
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|w| w == name);
        if listed && params.iter().filter(|t| t.contains("io_uring_sqe")).count() == 1 && params.len() <= 9 {
            out.push(Helper { name, params });
        }
    }
    out
}

fn main() {
    let top = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("..");
    let header_path = top.join("include/liburing.h");
    let map_path = top.join("liburing-ffi.map");
    println!("cargo:rerun-if-changed={}", header_path.display());
    println!("cargo:rerun-if-changed={}", map_path.display());
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let header = fs::read_to_string(&header_path).unwrap_or_default();
    let map = fs::read_to_string(&map_path).unwrap_or_default();
    let hs = helpers(&header, &map);

    let mut c = String::from("#define _GNU_SOURCE\n#include <stdint.h>\n#include <liburing.h>\n\n");
    let mut rs = String::new();
    let _ = writeln!(c, "const unsigned prep_count = {};", hs.len());
    let _ = writeln!(rs, "pub const PREP_COUNT: usize = {};", hs.len());
    let _ = writeln!(rs, "pub const PREP_NAMES: [&str; {}] = [", hs.len());
    for h in &hs {
        let _ = writeln!(rs, "    {:?},", h.name);
    }
    let _ = writeln!(rs, "];");
    // Which argument slots are pointers: the harness points them at memory.
    let _ = writeln!(rs, "pub const PREP_PTR_MASK: [u8; {}] = [", hs.len());
    for h in &hs {
        let mut mask = 0u8;
        for (k, t) in h.params.iter().filter(|t| !t.contains("io_uring_sqe")).enumerate() {
            if t.contains('*') {
                mask |= 1 << k;
            }
        }
        let _ = writeln!(rs, "    {mask:#04x},");
    }
    let _ = writeln!(rs, "];");

    c.push_str("void prep_c(unsigned idx, struct io_uring_sqe *sqe, const uint64_t *a)\n{\n\tswitch (idx) {\n");
    rs.push_str(
        "/// # Safety\n/// `sqe` must point to 128 writable bytes; pointer arguments are stored, not followed.\n\
         #[allow(clippy::unnecessary_cast)]\n\
         pub unsafe fn prep_rust(idx: usize, sqe: *mut uring::sys::io_uring_sqe, a: &[u64; 8]) {\n    match idx {\n",
    );
    for (i, h) in hs.iter().enumerate() {
        let mut cargs = Vec::new();
        let mut rargs = Vec::new();
        let mut k = 0;
        for t in &h.params {
            if t.contains("io_uring_sqe") {
                cargs.push("sqe".to_string());
                rargs.push("sqe".to_string());
            } else {
                if t.contains('*') {
                    cargs.push(format!("({t})(uintptr_t)a[{k}]"));
                } else {
                    cargs.push(format!("({t})a[{k}]"));
                }
                rargs.push(format!("a[{k}] as _"));
                k += 1;
            }
        }
        let _ = writeln!(c, "\tcase {i}: {}({}); break;", h.name, cargs.join(", "));
        let _ = writeln!(
            rs,
            "        {i} => unsafe {{ uring::capi::{}({}) }},",
            h.name,
            rargs.join(", ")
        );
    }
    c.push_str("\t}\n}\n");
    rs.push_str("        _ => {}\n    }\n}\n");
    fs::write(out.join("prep_shim.c"), c).unwrap();
    fs::write(out.join("prep_dispatch.rs"), rs).unwrap();
    cc::Build::new()
        .file(out.join("prep_shim.c"))
        .include(top.join("include"))
        .warnings(false)
        .opt_level(1)
        .compile("prep_shim");
}

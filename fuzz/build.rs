// Build script of the fuzz crate: for the `prep` target, reads the prep
// helpers (`io_uring_prep_*`) that ../include/liburing.h defines inline and
// liburing-ffi exports, and generates two dispatchers over them with one
// calling convention (an index, the SQE, eight u64 arguments):
//   - prep_shim.c: calls the header's static inline helper (compiled here
//     with cc against our header, as a C program would inline it);
//   - prep_dispatch.rs: calls the Rust export of the same name
//     (uring::capi::io_uring_prep_*).
// Each argument is converted to the parameter's own C type on both sides.
// Declarations may span lines (type, name and parameters on lines of their
// own); the build fails when the header or the map cannot be read, when a
// helper cannot be dispatched, or when fewer helpers are read than the header
// writes or liburing-ffi.map exports (and self_check() keeps the parser honest
// on a sample of its own).
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

/// The end of the parameter list that starts after `open` (the byte after its
/// '('): the index of the matching ')'.
fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let mut depth = 1;
    for (i, c) in text[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every `IOURINGINLINE <type> io_uring_prep_*(...)` declaration of the
/// header, as (name, parameter types): the return type, the name and each
/// parameter may sit on lines of their own.
fn declarations(header: &str) -> Vec<(String, Vec<String>)> {
    let header = &strip_comments(header);
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = header[from..].find("IOURINGINLINE") {
        let start = from + i + "IOURINGINLINE".len();
        from = start;
        // A word of its own, not the tail of another identifier.
        if header[..start - "IOURINGINLINE".len()]
            .chars()
            .next_back()
            .is_some_and(is_ident)
            || header[start..].chars().next().is_some_and(is_ident)
        {
            continue;
        }
        let Some(open) = header[start..].find('(').map(|o| start + o) else {
            break;
        };
        // The head (return type and name) holds no statement or directive.
        let head = &header[start..open];
        if head.contains([';', '{', '}', '#']) || head.contains("IOURINGINLINE") {
            continue;
        }
        let name = head.trim_end();
        let name = &name[name.rfind(|c: char| !is_ident(c)).map_or(0, |k| k + 1)..];
        if !name.starts_with("io_uring_prep_") {
            continue;
        }
        let close = matching_paren(header, open + 1)
            .unwrap_or_else(|| panic!("build.rs: unterminated parameter list of {name} in the header"));
        let params = header[open + 1..close].split(',').map(param_type).collect();
        out.push((name.to_string(), params));
    }
    out
}

/// Every distinct `io_uring_prep_*` name written as a call or definition
/// (`name(`, any spacing) in `text`: a count that does not depend on the
/// declaration parser.
fn prep_names(text: &str) -> Vec<String> {
    let text = &strip_comments(text);
    let mut names: Vec<String> = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("io_uring_prep_") {
        let start = from + i;
        let end = text[start..]
            .find(|c: char| !is_ident(c))
            .map_or(text.len(), |k| start + k);
        from = end;
        if text[..start].chars().next_back().is_some_and(is_ident) {
            continue;
        }
        if text[end..].trim_start().starts_with('(') && !names.iter().any(|n| *n == text[start..end]) {
            names.push(text[start..end].to_string());
        }
    }
    names
}

fn exported_names(map: &str) -> Vec<&str> {
    map.split(|c: char| !is_ident(c))
        .filter(|w| w.starts_with("io_uring_prep_"))
        .collect()
}

/// `text` without its C comments (`/* */` and `//`), each replaced by a space.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let block = rest.find("/*");
        let line = rest.find("//");
        match (block, line) {
            (Some(b), l) if l.is_none_or(|l| b < l) => {
                out.push_str(&rest[..b]);
                out.push(' ');
                rest = rest[b..].find("*/").map_or("", |j| &rest[b + j + 2..]);
            }
            (_, Some(l)) => {
                out.push_str(&rest[..l]);
                out.push(' ');
                rest = rest[l..].find('\n').map_or("", |j| &rest[l + j..]);
            }
            _ => break,
        }
    }
    out.push_str(rest);
    out
}

fn helpers(header: &str, exported: &str) -> Vec<Helper> {
    let listed = exported_names(exported);
    let mut out = Vec::new();
    let mut left_out = Vec::new();
    for (name, params) in declarations(header) {
        let why = if !listed.contains(&name.as_str()) {
            "not exported by liburing-ffi.map"
        } else if params.iter().filter(|t| t.contains("io_uring_sqe")).count() != 1 {
            "does not take exactly one SQE"
        } else if params.len() > 9 {
            "takes more than the 8 arguments the dispatchers pass"
        } else {
            out.push(Helper { name, params });
            continue;
        };
        left_out.push(format!("{name} ({why})"));
    }
    assert!(
        left_out.is_empty(),
        "build.rs: prep helpers the fuzz target cannot call: {}",
        left_out.join(", ")
    );
    out
}

/// The parser on a header of its own: a one-line declaration, one whose name
/// is on the line after its type, and one whose parameters span lines must
/// all be read, and a mention in a comment or a #define must not.
fn self_check() {
    let sample = "#define IOURINGINLINE static inline\n\
        /* IOURINGINLINE io_uring_prep_none(x) */\n\
        IOURINGINLINE void io_uring_prep_a(struct io_uring_sqe *sqe, int fd)\n{ }\n\
        IOURINGINLINE void\nio_uring_prep_b(struct io_uring_sqe *sqe,\n\t\tint fd,\n\t\tunsigned flags)\n{ }\n\
        IOURINGINLINE void io_uring_prep_c(struct io_uring_sqe *sqe,\n\t\t__u64 off)\n{ }\n";
    let got = declarations(sample);
    let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["io_uring_prep_a", "io_uring_prep_b", "io_uring_prep_c"],
        "build.rs: the declaration parser misreads its own sample"
    );
    assert_eq!(
        got[1].1,
        ["struct io_uring_sqe *", "int", "unsigned"],
        "build.rs: parameters of a split declaration"
    );
}

fn main() {
    let top = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("..");
    let header_path = top.join("include/liburing.h");
    let map_path = top.join("liburing-ffi.map");
    println!("cargo:rerun-if-changed={}", header_path.display());
    println!("cargo:rerun-if-changed={}", map_path.display());
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let header = fs::read_to_string(&header_path)
        .unwrap_or_else(|e| panic!("build.rs: cannot read {}: {e}", header_path.display()));
    let map =
        fs::read_to_string(&map_path).unwrap_or_else(|e| panic!("build.rs: cannot read {}: {e}", map_path.display()));
    self_check();
    let hs = helpers(&header, &map);
    // Fewer helpers than the header writes or liburing-ffi exports is a
    // parser that missed some: fail the build, naming them.
    for (what, names) in [
        ("include/liburing.h defines", prep_names(&header)),
        (
            "liburing-ffi.map exports",
            exported_names(&map).into_iter().map(String::from).collect(),
        ),
    ] {
        let missed: Vec<&String> = names.iter().filter(|n| !hs.iter().any(|h| h.name == **n)).collect();
        assert!(
            missed.is_empty(),
            "build.rs: found {} prep helpers, but {what} {}; missed: {missed:?}",
            hs.len(),
            names.len()
        );
    }

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

//! Unit tests of checked mode's pure parts.

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
    // hooked! declares its function item inside the export's cold `checked`.
    assert_eq!(
        export_name("uring::capi::ffi::__io_uring_buf_ring_cq_advance::checked::__here"),
        "__io_uring_buf_ring_cq_advance"
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

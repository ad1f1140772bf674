//! The bounded line reader the CLI reads `--file` and stdin with, over any bytes and line limit: no
//! panic, every line it hands out is within the limit, numbers count up by one, and a line is never lost.
#![no_main]

use aliprefetch::internal::{read_lines, Line};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u8, &[u8])| {
    let (limit, data) = input;
    let limit = usize::from(limit);
    let mut expected = 1u64;
    read_lines(data, limit, |n, line| {
        assert_eq!(n, expected, "line numbers count up by one");
        expected += 1;
        if let Line::Text(text) = line {
            assert!(text.len() <= limit, "a line over the limit was handed out");
            assert!(!text.contains('\n'));
        }
        std::ops::ControlFlow::Continue(())
    })
    .unwrap();
    // Every newline ends a line, and text after the last one is a line too.
    let newlines = data.iter().filter(|b| **b == b'\n').count() as u64;
    let trailing = u64::from(!data.is_empty() && data.last() != Some(&b'\n'));
    assert_eq!(expected - 1, newlines + trailing, "no line lost or invented");
});

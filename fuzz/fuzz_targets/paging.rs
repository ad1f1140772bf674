//! Paging over arbitrary answers (a broken or hostile service): the listing ends, never asks for a page
//! twice, and never asks for more pages than answers were given.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|answers: Vec<&[u8]>| {
    let asked = aliprefetch::__fuzz::paging(&answers);
    assert!(asked <= answers.len());
});

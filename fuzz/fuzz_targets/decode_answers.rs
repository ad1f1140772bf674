//! Success bodies decoded as every operation's answer and checked as the client checks them: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    aliprefetch::__fuzz::decode_answers(data);
});

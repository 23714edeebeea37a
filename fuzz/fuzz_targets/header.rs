#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| oauth1_fuzz::header(data));

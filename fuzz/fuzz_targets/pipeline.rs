//! Fuzz target: parse → check → data → evaluate → render on arbitrary bytes must never panic,
//! overflow the stack or hang. Input layout: see `jixiao::fuzzing::run_bytes`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    jixiao::fuzzing::run_bytes(data);
});

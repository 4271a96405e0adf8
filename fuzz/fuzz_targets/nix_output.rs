//! Fuzz target `nix_output`: the properties in tests/properties/mod.rs hold for
//! any input.
#![no_main]

#[path = "../../tests/properties/mod.rs"]
mod properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    properties::nix_output(&properties::text_of(data));
});

//! UniFFI's generator as a workspace binary, at the very version `bindings/ffi` links.

fn main() {
    uniffi::uniffi_bindgen_main()
}

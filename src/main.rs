//! The `nixvm` binary: everything lives in the library's `cli` module.

fn main() -> std::process::ExitCode {
    nixvm::cli::main()
}

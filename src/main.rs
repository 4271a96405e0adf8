//! The `nixvm` binary: everything lives in the library's `cli` module.

/// Parsing allocates many small nodes and strings per file, from several
/// threads at once: mimalloc serves that markedly faster than the system
/// allocator (`cargo bench --bench lint`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    nixvm::cli::main()
}

//! The `aliprefetch` binary: [`aliprefetch_cli::run`] with the process's arguments.

fn main() -> std::process::ExitCode {
    let code = aliprefetch_cli::run(std::env::args_os());
    std::process::ExitCode::from(u8::try_from(code).unwrap_or(1))
}

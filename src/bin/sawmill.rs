//! The `sawmill` command: one verb per file in src/cli/.
//!
//!   sawmill check-config FILE   validate a .json (dictConfig) or INI
//!                               (fileConfig) configuration without applying it

#[path = "../cli/mod.rs"]
mod cli;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("check-config") => cli::check_config::run(&args[1..]),
        _ => {
            eprintln!("usage: sawmill check-config FILE");
            2
        }
    };
    std::process::exit(code);
//! The `sawmill` command: `sawmill VERB ARGS…`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let status = match args.first().map(String::as_str) {
        Some("receive") => sawmill::cli::receive::main(&args[1..]),
        _ => {
            eprintln!("usage: sawmill receive [ARGS…]   (sawmill receive --help)");
            2
        }
    };
    std::process::exit(status);
}

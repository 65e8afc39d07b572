//! The `sawmill` command: `sawmill VERB ARGS…`, one verb per file in src/cli/.
//!
//!   sawmill check-config FILE   validate a .json (dictConfig) or INI
//!                               (fileConfig) configuration without applying it
//!   sawmill receive [ARGS…]     receive records from CPython's SocketHandler or
//!                               DatagramHandler (sawmill receive --help)

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let status = match args.first().map(String::as_str) {
        Some("check-config") => sawmill::cli::check_config::run(&args[1..]),
        Some("receive") => sawmill::cli::receive::main(&args[1..]),
        _ => {
            eprintln!("usage: sawmill check-config FILE | sawmill receive [ARGS…]");
            2
        }
    };
    std::process::exit(status);
}

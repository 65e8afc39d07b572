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

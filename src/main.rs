//! The `seatsim` binary: everything lives in the library.

fn main() {
    std::process::exit(seatsim::main_with_args(std::env::args_os()));
}

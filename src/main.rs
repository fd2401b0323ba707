//! The `room-console` binary: parses the command line and hands over to `cli`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    room_console::heap::keep_large_blocks();
    room_console::logging::init();
    room_console::cli::main(room_console::cli::Cli::parse())
}

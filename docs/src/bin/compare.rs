//! `compare`: runs the documents' scenarios in every concurrency model and
//! prints the measurements side by side. See [`weft_docs::compare`] for
//! the options.

fn main() -> std::process::ExitCode {
    weft_docs::compare::main()
}

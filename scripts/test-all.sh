#!/usr/bin/env bash
# Runs every check weft has: lints, the check that every public tokio
# function name has a weft counterpart, unit/integration/doc tests of the
# whole workspace, the tests of the unsafe code again under valgrind's
# memcheck, the loom models with their mutant check, and the quick run of
# the `compare` demo. This is the one test command the README names and CI
# runs.
set -euo pipefail
cd "$(dirname "$0")/.."

stage() {
    printf '\n==> %s\n' "$1"
    STAGE_START=$SECONDS
}
done_stage() {
    printf '==> done in %ss\n' "$((SECONDS - STAGE_START))"
}

stage "clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings
done_stage

stage "tokio API names: every public tokio function has a weft counterpart"
scripts/tokio-api-gaps.sh
done_stage

stage "tests: unit, integration and doc tests"
RUSTDOCFLAGS="-D warnings" cargo test --workspace --locked
done_stage

stage "memcheck: the tests of the unsafe code under valgrind"
if command -v valgrind >/dev/null; then
    scripts/memcheck.sh
elif [ "${CI:-}" = true ]; then
    echo "valgrind is missing; .ci/run installs it" >&2
    exit 1
else
    echo "skipped: valgrind is not installed (apt-get install valgrind)"
fi
done_stage

if [ -x loom-tests/run.sh ]; then
    stage "loom models and mutant check"
    loom-tests/run.sh
    done_stage
fi

if grep -q 'name = "compare"' docs/Cargo.toml 2>/dev/null; then
    stage "compare --quick (the demo, checked for its shape)"
    cargo run --release --locked -p weft-docs --bin compare -- --quick --check
    done_stage
fi

printf '\nall checks passed in %ss\n' "$SECONDS"

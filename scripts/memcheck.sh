#!/usr/bin/env bash
# Runs weft's unit and integration tests under valgrind's memcheck: every
# invalid read or write, use of uninitialised memory, and definite leak
# fails the run. loom checks the orderings of weft's unsafe code; memcheck
# checks what that code does to memory when the tests run it for real.
#
#   scripts/memcheck.sh            the tests of the unsafe code (CI runs this)
#   scripts/memcheck.sh all        every test binary of the four runtime crates
#
# Needs valgrind (Debian: `apt-get install valgrind`). Each test binary runs
# its tests one at a time (`--test-threads=1`) with valgrind's fair thread
# scheduling, without which a thread spinning on `yield_now` can starve the
# others for minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v valgrind >/dev/null; then
    echo "memcheck: valgrind is not installed (apt-get install valgrind)" >&2
    exit 1
fi

scope=${1:-unsafe}
# The crates whose tests run here; the other members (docs, benches, loom
# models) have no unsafe code of their own.
crates='/(runtime|scheduler|reactor|timer)/'
# The test binaries that exercise the unsafe code, all of which is in the
# scheduler and weft crates (the timer and the reactor forbid it): their
# unit tests, the task core and schedulers (rt_*, task_*), the sync
# primitives' intrusive lists (sync_*). `all` adds the rest (the timer and
# reactor unit tests; net, fs, io, process, signal, time, macros).
core_tests='^(weft|weft_scheduler|rt_[a-z_]+|sync_[a-z_]+|task_[a-z_]+)$'

# Test binaries that cannot run under valgrind, and why:
# - net_emfile lowers RLIMIT_NOFILE to what /proc/self/fd shows, which
#   counts valgrind's own descriptors; valgrind then refuses the files the
#   test opens to reach the limit, and the test never sees EMFILE.
# - sync_loom holds the loom models, which are empty without --cfg loom.
skip_binaries='^(net_emfile|sync_loom)$'
# Single tests, and why:
# - missing_program_is_not_found: std spawns through posix_spawn, whose
#   child shares the parent's memory to report a failed exec; valgrind runs
#   that child as a plain fork, so the failure never reaches spawn.
skip_tests=(--skip missing_program_is_not_found)

# The whole workspace, as the test stage builds it, so nothing is rebuilt
# with other features; then only the four crates' binaries.
artifacts=$(cargo test --workspace --locked --no-run --message-format=json 2>/dev/null \
    | sed -n 's/.*"src_path":"\([^"]*\)".*"executable":"\([^"]*\)".*/\1 \2/p')

failed=()
start=$SECONDS
while read -r src exe; do
    if [[ ! $src =~ $crates ]]; then
        continue
    fi
    name=$(basename "$exe")
    name=${name%-*}
    if [[ $name =~ $skip_binaries ]]; then
        continue
    fi
    if [[ $scope != all && ! $name =~ $core_tests ]]; then
        continue
    fi
    began=$SECONDS
    log=$(mktemp)
    if valgrind --quiet --error-exitcode=99 --fair-sched=yes \
        --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
        "$exe" --test-threads=1 "${skip_tests[@]}" >"$log" 2>&1; then
        printf '  %-22s ok   %4ss\n' "$name" "$((SECONDS - began))"
    else
        printf '  %-22s FAIL %4ss\n' "$name" "$((SECONDS - began))"
        grep -v '^test .* ok$' "$log" | tail -n 60
        failed+=("$name")
    fi
    rm -f "$log"
done <<<"$artifacts"

if ((${#failed[@]})); then
    echo "memcheck: ${#failed[@]} binaries failed: ${failed[*]}" >&2
    exit 1
fi
echo "memcheck: clean in $((SECONDS - start))s"

#!/usr/bin/env bash
# Runs weft's loom stage: every loom model, then the mutant check.
#
#   loom-tests/run.sh            # everything (what CI runs)
#   loom-tests/run.sh models     # only the models on the real code
#   loom-tests/run.sh mutants    # only the mutant check
#
# Builds go to $WEFT_LOOM_TARGET_DIR (default: target/loom), apart from the
# normal target directory, since `--cfg loom` changes every crate. The
# preemption bound is $LOOM_MAX_PREEMPTIONS (default 2).
# $WEFT_LOOM_MUTANT_GROUPS (for example "4 5") limits the mutant check to
# those groups. See loom-tests/README.md for the table of models and
# mutants.
set -euo pipefail

cd "$(dirname "$0")/.."

what=${1:-all}
target_dir=${WEFT_LOOM_TARGET_DIR:-target/loom}
export LOOM_MAX_PREEMPTIONS=${LOOM_MAX_PREEMPTIONS:-2}
# Line tables are enough to read a loom failure, and builds are faster.
export CARGO_PROFILE_RELEASE_DEBUG=${CARGO_PROFILE_RELEASE_DEBUG:-0}
# With an explicit --target, RUSTFLAGS stay off build scripts and proc
# macros: those are built once and shared by every mutant build.
host=$(rustc -vV | sed -n 's/^host: //p')
# Longest a mutant's models may run before the mutant counts as missed.
mutant_timeout=${WEFT_LOOM_MUTANT_TIMEOUT:-300}
# The mutant groups to check, for example "4 5" (default: all).
only_groups=${WEFT_LOOM_MUTANT_GROUPS:-}

# Every cargo command names the same packages, so cargo resolves the same
# features (loom's `futures`, which weft-loom-tests turns on) each time and
# reuses one build instead of making a second one for a lone package.
packages=(-p weft-loom-tests -p weft-timer -p weft-reactor)

logs="$target_dir/logs"
mkdir -p "$logs"

# loom_cargo RUSTFLAGS SUBCOMMAND ARGS...
loom_cargo() {
    local flags=$1 subcommand=$2
    shift 2
    RUSTFLAGS="$flags" CARGO_TARGET_DIR="$target_dir" cargo "$subcommand" --target "$host" --release "$@"
}

stage_start=0
stage() {
    stage_start=$(date +%s)
    echo "==> $1"
}
stage_done() {
    echo "    done in $(($(date +%s) - stage_start)) s"
}

total_start=$(date +%s)

# ---------------------------------------------------------------- models
# what | cargo target selection | test-name filter
models=(
    "weft-scheduler (loom-tests/tests/scheduler)|--test scheduler|"
    "weft-timer (timer/src/driver/models.rs, timer/src/clock/models.rs)|--lib|driver::models:: clock::models::"
    "weft-reactor (reactor/src/scheduled_io/models.rs)|--lib|scheduled_io::models::"
)

if [[ $what == all || $what == models ]]; then
    stage "build the models (--cfg loom)"
    loom_cargo "--cfg loom" test --no-run "${packages[@]}" --lib --test scheduler
    stage_done
    for entry in "${models[@]}"; do
        IFS='|' read -r name selection filter <<<"$entry"
        stage "models: $name, LOOM_MAX_PREEMPTIONS=$LOOM_MAX_PREEMPTIONS"
        # shellcheck disable=SC2086
        loom_cargo "--cfg loom" test "${packages[@]}" $selection -- $filter
        stage_done
    done
    # The `weft` crate's own models (its sync primitives) build with its
    # dev-dependencies, a different feature set: a separate build.
    stage "models: weft::sync (runtime/tests/sync_loom.rs), LOOM_MAX_PREEMPTIONS=$LOOM_MAX_PREEMPTIONS"
    loom_cargo "--cfg loom" test -p weft --test sync_loom
    stage_done
fi

# --------------------------------------------------------------- mutants
# Each mutant is one known bug behind `--cfg weft_loom_mutant="NAME"`; the
# models listed with it must fail. Mutants in code that the other
# mutants' models never reach share one build (one build costs minutes on
# a 2-core machine): a group's mutants are in different crates or in
# disjoint parts of the scheduler, and each is checked only by its own
# models.
#
# Group 4 holds the `weft::sync` and `JoinSet` mutants: the `weft` crate's
# models build as their own package (see `group_targets`). Each of its
# models drives one primitive and none takes a path that another group-4
# mutant breaks, so a model fails only for its own mutant.
#
# Group 5 holds the mutants whose models run a whole scheduler (the
# multi-thread one's worker loop, idle protocol, parker and blocking
# pool, or the current-thread one's `block_on`, both on the task core):
# those models reach the code of the scheduler mutants of groups 1 to 3,
# so they get a build of their own. The multi-thread models never run
# current-thread code and the other way round. The build also holds the
# `weft` crate, for the mpsc waker-slot mutant, whose models (every mpsc
# model goes through the waker slot) cannot share group 4 with
# `mpsc_recv_skips_recheck`; no scheduler model runs `weft` code.
#
# Group 5 also holds the blocking pool's detach mutant: its model runs
# the task core, which the mutants of groups 1 to 3 break, and no other
# group-5 mutant touches the pool or the task core.
#
# Group 6 holds the watch value lock's missing-fence mutant: its model
# is the one group 4's `watch_value_read_ignores_writer` breaks. It also
# holds the mpsc `reserve_many` mutant, whose model receives from a
# bounded channel, which group 4's `mpsc_recv_skips_recheck` and group
# 5's waker-slot mutant both break; no watch code runs in that model.
#
# group | mutant | cargo target selection | exact test names
mutants=(
    "1|task_idle_drops_notified|--test scheduler|task_core::wake_while_running_is_not_lost"
    "1|sched_notify_skips_recheck|--test scheduler|idle::one_burst_wakes_one_worker"
    "1|blocking_ignores_notified|--test scheduler|blocking::dependent_jobs_never_share_one_idle_thread"
    "1|clock_pause_publishes_late|--lib|clock::models::pause_racing_now_never_goes_backwards"
    "1|reactor_poll_skips_recheck|--lib|scheduled_io::models::delivery_racing_poll_ready_is_never_lost scheduled_io::models::shutdown_racing_poll_ready_wakes_or_fails"
    "2|task_complete_skips_join_wake|--test scheduler|task_core::completion_wakes_the_awaiting_thread"
    "2|sched_park_forgets_last_searcher|--test scheduler|idle::remote_push_while_the_worker_parks_is_run idle::two_workers_parking_never_strand_a_task"
    "2|reactor_clear_ignores_tick|--lib|scheduled_io::models::clear_never_erases_a_newer_delivery"
    "3|task_complete_relaxed|--test scheduler|task_core::completion_wakes_the_awaiting_thread"
    "3|sched_unpark_skips_lock|--test scheduler|park::unpark_racing_a_condvar_park_is_not_lost"
    "3|reactor_dispatch_ignores_generation|--lib|scheduled_io::models::release_racing_a_stale_delivery_leaves_the_slot_clean"
    "4|oneshot_send_skips_wake|--test sync_loom|oneshot_send_vs_recv"
    "4|notify_forgets_permit|--test sync_loom|notify_one_vs_notified"
    "4|join_set_register_unlocked|--test sync_loom|join_set_completions_vs_poll_join_next"
    "4|broadcast_lag_skips_to_newest|--test sync_loom|broadcast_lag_vs_recv"
    "4|mpsc_recv_skips_recheck|--test sync_loom|bounded_backpressure"
    "4|semaphore_cancel_keeps_grant|--test sync_loom|semaphore_acquire_cancelled_while_permits_are_released"
    "4|rwlock_write_leaves_a_read_permit|--test sync_loom|rwlock_reader_vs_writer"
    "4|watch_changed_listens_late|--test sync_loom|watch_send_vs_changed"
    "4|once_cell_publish_relaxed|--test sync_loom|once_cell_racing_get_or_init"
    "4|local_set_registers_after_running|--test sync_loom|local_set_remote_wake_while_the_owner_idles"
    "4|watch_value_read_ignores_writer|--test sync_loom|watch_borrow_racing_send"
    "5|sched_push_skips_notify|--test scheduler|steal::a_task_behind_a_blocked_worker_is_stolen"
    "5|sched_block_in_place_keeps_core|--test scheduler|block_in_place::block_in_place_hands_the_core_to_a_new_thread"
    "5|ct_release_wakes_before_returning_core|--test scheduler|current_thread::block_on_threads_hand_the_core_over"
    "5|sched_push_after_shutdown_skips_drain|--test scheduler|shutdown::remote_spawn_racing_shutdown"
    "5|atomic_waker_take_skips_fence|--test sync_loom|atomic_waker_wake_racing_register unbounded_one_sender_many_blocks"
    "5|wait_list_release_relaxed|--test sync_loom|notify_waiters_publishes_to_a_released_waiter"
    "5|watch_value_last_reader_skips_wake|--test sync_loom|watch_two_borrows_racing_send"
    "5|blocking_detach_forgets|--test scheduler|blocking::detach_while_a_job_runs"
    "6|watch_value_read_skips_fence|--test sync_loom|watch_borrow_racing_send"
    "6|mpsc_reserve_many_skips_wake|--test sync_loom|mpsc_reserve_many_cancelled_while_the_receiver_closes"
)

# group_packages GROUP: the packages a mutant group builds and tests.
group_packages() {
    case $1 in
        4 | 6) echo "-p weft" ;;
        5) echo "-p weft-loom-tests -p weft" ;;
        *) echo "${packages[*]}" ;;
    esac
}

# group_targets GROUP: the test targets a mutant group builds.
group_targets() {
    case $1 in
        4 | 6) echo "--test sync_loom" ;;
        5) echo "--test scheduler --test sync_loom" ;;
        *) echo "--lib --test scheduler" ;;
    esac
}

if [[ $what == all || $what == mutants ]]; then
    survivors=()
    groups=$(printf '%s\n' "${mutants[@]}" | cut -d'|' -f1 | sort -u)
    for group in $groups; do
        if [[ -n $only_groups && " $only_groups " != *" $group "* ]]; then
            continue
        fi
        flags="--cfg loom"
        names=()
        for entry in "${mutants[@]}"; do
            IFS='|' read -r g mutant _ <<<"$entry"
            if [[ $g == "$group" ]]; then
                flags+=" --cfg weft_loom_mutant=\"$mutant\""
                names+=("$mutant")
            fi
        done
        read -r -a group_pkgs <<<"$(group_packages "$group")"
        stage "build mutant group $group: ${names[*]}"
        # shellcheck disable=SC2046
        loom_cargo "$flags" test --no-run "${group_pkgs[@]}" $(group_targets "$group")
        stage_done
        for entry in "${mutants[@]}"; do
            IFS='|' read -r g mutant selection tests <<<"$entry"
            [[ $g == "$group" ]] || continue
            stage "mutant $mutant: expect $tests to fail"
            caught=0
            expected=0
            for test in $tests; do
                expected=$((expected + 1))
                log="$logs/mutant-$mutant-${test//::/-}.log"
                # One model per run: a loom deadlock aborts the whole test
                # binary, which would hide the models after it.
                set +e
                # shellcheck disable=SC2086
                timeout "$mutant_timeout" env RUSTFLAGS="$flags" CARGO_TARGET_DIR="$target_dir" \
                    cargo test --target "$host" --release "${group_pkgs[@]}" $selection -- --exact "$test" >"$log" 2>&1
                status=$?
                set -e
                if [[ $status -eq 124 ]]; then
                    echo "    $test: still running after ${mutant_timeout} s (log: $log)"
                elif [[ $status -ne 0 ]] && grep -q "^thread '$test' .* panicked at" "$log"; then
                    reason=$(grep -m1 -A1 "^thread '$test' .* panicked at" "$log" | tail -n1 | cut -c1-120)
                    echo "    $test: failed as expected: $reason"
                    caught=$((caught + 1))
                else
                    echo "    $test: passed (status $status, log: $log)"
                fi
            done
            if ((caught == expected)); then
                echo "    caught"
            else
                echo "    SURVIVED"
                survivors+=("$mutant")
            fi
            stage_done
        done
    done
    if ((${#survivors[@]} > 0)); then
        echo "loom: mutants not caught: ${survivors[*]}" >&2
        exit 1
    fi
    echo "loom: every mutant was caught"
fi

echo "loom stage done in $(($(date +%s) - total_start)) s"

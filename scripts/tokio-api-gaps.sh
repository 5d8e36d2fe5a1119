#!/usr/bin/env bash
# Lists the public function names of tokio's runtime-side modules (net,
# sync, time, task, runtime, fs, process, signal) that no weft crate
# defines, minus the ones weft leaves out on purpose (listed below with
# the reason). Exits 1 if any other name is missing, so an API that a
# tokio user would call cannot go missing unnoticed.
#
# The check is by name only: a function of the same name on another type
# satisfies it. It catches whole methods that are absent, not signatures
# that differ; the integration tests check behaviour.
#
# tokio's source is the version in Cargo.lock, found with `cargo metadata`
# (it is downloaded already for any build, since weft depends on tokio).
set -euo pipefail
cd "$(dirname "$0")/.."

manifest=$(cargo metadata --format-version 1 --locked 2>/dev/null \
    | grep -o '"manifest_path":"[^"]*/tokio-1\.[0-9.]*/Cargo.toml"' | head -n1 \
    | sed 's/"manifest_path":"//; s/"$//')
if [ -z "$manifest" ]; then
    echo "tokio-api-gaps: tokio's source was not found through cargo metadata" >&2
    exit 2
fi
tokio_src=$(dirname "$manifest")/src

# Names weft does not provide, and why. One per line: name, then reason.
exceptions='
access_inbound windows named pipes
access_mode windows
access_outbound windows named pipes
access_system_security windows named pipes
as_abstract_name tokio SocketAddr method; weft uses std SocketAddr (SocketAddrExt)
as_pathname tokio SocketAddr method; std SocketAddr has it
attributes windows
create_with_security_attributes_raw windows named pipes
creation_flags windows
ctrl_break windows
ctrl_close windows
ctrl_logoff windows
ctrl_shutdown windows
disconnect windows named pipes
first_pipe_instance windows named pipes
from_raw_handle windows
in_buffer_size windows named pipes
info windows named pipes
inner_flush tokio test mocks
inner_read tokio test mocks
inner_seek tokio test mocks
inner_write tokio test mocks
into_owned_handle windows
is_unnamed tokio SocketAddr method; std SocketAddr has it
max_instances windows named pipes
open_with_security_attributes_raw windows named pipes
out_buffer_size windows named pipes
pipe_mode windows named pipes
raw_arg windows
raw_handle windows
reject_remote_clients windows named pipes
security_qos_flags windows
set_accessed tokio test mocks
set_created tokio test mocks
set_modified tokio test mocks
share_mode windows
symlink_dir windows
symlink_file windows
write_dac windows named pipes
write_owner windows named pipes
'

# tokio_unstable, tracing and task-dump items: everything defined inside
# their cfg macros is skipped by name below.
unstable='
active_tasks_count addr blocking_queue_depth budget_forced_yield_count build_local build_task builder
capture colno disable_lifo_slot dump enable_alt_timer enable_eager_driver_handoff enable_io_uring
enable_metrics_poll_count_histogram enable_metrics_poll_time_histogram
enable_metrics_schedule_latency_histogram enable_sharded_blocking_queue filename frames
injection_queue_depth io_driver_fd_deregistered_count io_driver_fd_registered_count
io_driver_ready_count ip is_tracing iter linear lineno log max_buckets max_error max_value
metrics_poll_count_histogram_buckets metrics_poll_count_histogram_resolution
metrics_poll_count_histogram_scale metrics_poll_time_histogram_configuration
metrics_schedule_latency_histogram_configuration min_value name_demangled name_raw
num_blocking_threads num_idle_blocking_threads on_after_task_poll on_before_task_poll on_task_spawn
on_task_terminate poll_count_histogram_bucket_count poll_count_histogram_bucket_range
poll_count_histogram_enabled poll_count_histogram_num_buckets poll_time_histogram_bucket_count
poll_time_histogram_bucket_range poll_time_histogram_enabled poll_time_histogram_num_buckets
precision_exact remote_schedule_count resolve_backtraces rng_seed root schedule_latency
schedule_latency_histogram_bucket_count schedule_latency_histogram_bucket_range
schedule_latency_histogram_enabled schedule_latency_histogram_num_buckets spawn_with spawned_at
spawned_tasks_count symbol_address symbols tasks trace trace_with track_task_schedule_latency
unhandled_panic worker_local_queue_depth worker_local_schedule_count worker_mean_poll_time
worker_noop_count worker_overflow_count worker_poll_count worker_steal_count
worker_steal_operations worker_thread_id
'

fn_names() {
    grep -rhoE "^\s*pub (const )?(unsafe )?(async )?fn [a-z_0-9]+" "$@" | awk '{print $NF}' | sort -u
}

tokio_names=$(fn_names "$tokio_src"/{net,sync,time,task,runtime,fs,process,signal})
weft_names=$(grep -rhoE "pub(\([a-z]+\))? (const )?(unsafe )?(async )?fn [a-z_0-9]+" \
    runtime/src scheduler/src reactor/src timer/src | awk '{print $NF}' | sort -u)
allowed=$( (printf '%s\n' "$exceptions" | awk 'NF {print $1}'; printf '%s\n' $unstable) | sort -u)

missing=$(comm -23 <(comm -23 <(printf '%s\n' "$tokio_names") <(printf '%s\n' "$weft_names")) \
    <(printf '%s\n' "$allowed"))
stale=$(comm -12 <(printf '%s\n' "$allowed") <(printf '%s\n' "$weft_names"))

echo "tokio $(basename "$(dirname "$tokio_src")"): $(printf '%s\n' "$tokio_names" | wc -l) public fn names;" \
    "$(printf '%s\n' "$allowed" | wc -l) left out on purpose (see this script)"
if [ -n "$stale" ]; then
    echo "note: weft now defines these excepted names; drop them from the list:" $stale
fi
if [ -n "$missing" ]; then
    echo "missing from weft:" $missing >&2
    exit 1
fi
echo "every other tokio function name has a weft counterpart"

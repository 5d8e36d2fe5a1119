"""Python versions of the scenarios that weft's `compare` tool measures.

`compare` runs this script once per (scenario, model) pair, in its own
process, so the CPU time and peak memory it reads for the process are this
run's alone:

    python3 compare.py --scenario io_fanout --model "python asyncio" [--quick]

The script prints one JSON line: wall_s, units, base_kib, metric, note and
skipped (a reason, or null). Sizes mirror `Sizes::FULL` / `Sizes::QUICK`
in docs/src/compare/mod.rs, except the CPU work, which is 1/100 of the Rust
size so that a Python run stays within the time budget.
"""

import json
import os
import resource
import sys
import threading
import time

# asyncio and concurrent.futures are imported only by the models that use
# them (see `load`): start-up is part of every row's figures, and these
# imports cost more than some of the scenarios themselves.
asyncio = None
ProcessPoolExecutor = ThreadPoolExecutor = None


def load(scenario, kind):
    """Imports what model `kind` of `scenario` needs."""
    global asyncio, ProcessPoolExecutor, ThreadPoolExecutor
    if kind == "asyncio" or (scenario == "blocking" and kind != "sequential"):
        import asyncio
    if kind in ("threads", "processes"):
        from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

FULL = dict(
    downloads=100, download=0.030,
    waits_tasks=10_000, waits_threads=2_000, hold=0.300, seq_sample=5,
    cpu_chunks=8, cpu_n=400_000_000,
    tick=0.005, block=0.100, block_calls=3,
    timeouts=200, fast=0.005, slow=1.0, limit=0.025,
    files=200, file_kib=64,
    urls=50, url_delay=0.030,
)
QUICK = dict(
    downloads=20, download=0.010,
    waits_tasks=1_000, waits_threads=200, hold=0.050, seq_sample=3,
    cpu_chunks=4, cpu_n=20_000_000,
    tick=0.002, block=0.030, block_calls=2,
    timeouts=20, fast=0.002, slow=0.300, limit=0.010,
    files=20, file_kib=16,
    urls=10, url_delay=0.010,
)
CPU_SCALE = 100  # Python does 1/CPU_SCALE of the Rust CPU work.
CORES = os.cpu_count() or 1


class Skip(Exception):
    """This model does not apply to this scenario."""


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


# -- I/O fan-out: N simulated downloads ------------------------------------

def io_fanout(model, s):
    n, d = s["downloads"], s["download"]
    if model == "sequential":
        wall, _ = timed(lambda: [time.sleep(d) for _ in range(n)])
    elif model == "asyncio":
        async def main():
            await asyncio.gather(*(asyncio.sleep(d) for _ in range(n)))
        wall, _ = timed(lambda: asyncio.run(main()))
    elif model == "threads":
        def run():
            with ThreadPoolExecutor(max_workers=n) as pool:
                list(pool.map(time.sleep, [d] * n))
        wall, _ = timed(run)
    else:
        def run():
            with ProcessPoolExecutor() as pool:
                list(pool.map(time.sleep, [d] * n))
        wall, _ = timed(run)
    return dict(wall_s=wall, units=n, note=f"{n} downloads of {d * 1000:.0f} ms")


# -- many waits alive at once ----------------------------------------------

def waits(model, s):
    hold = s["hold"]
    if model == "sequential":
        sample = min(s["seq_sample"], s["waits_tasks"])
        wall, _ = timed(lambda: [time.sleep(hold) for _ in range(sample)])
        return dict(wall_s=wall * s["waits_tasks"] / sample, units=1,
                    note=f"estimated: {sample} waits timed in a row, scaled to {s['waits_tasks']}")
    if model == "asyncio":
        n = s["waits_tasks"]

        async def main():
            loop = asyncio.get_running_loop()
            deadline = loop.time() + hold

            async def wait():
                await asyncio.sleep(max(0.0, deadline - loop.time()))
            await asyncio.gather(*(asyncio.create_task(wait()) for _ in range(n)))
        wall, _ = timed(lambda: asyncio.run(main()))
        return dict(wall_s=wall, units=n, note=f"{n} tasks")
    if model == "threads":
        n = s["waits_threads"]
        threading.stack_size(64 * 1024)
        barrier = threading.Barrier(n + 1)

        def hold_one():
            barrier.wait()
            time.sleep(hold)

        def run():
            threads = [threading.Thread(target=hold_one) for _ in range(n)]
            for t in threads:
                t.start()
            barrier.wait()
            for t in threads:
                t.join()
        wall, _ = timed(run)
        return dict(wall_s=wall, units=n, note=f"{n} threads with 64 KiB stacks")
    raise Skip("one process per wait is not practical")


# -- CPU-bound sums of squares ---------------------------------------------

def cpu_intensive(n):
    return sum(i * i for i in range(n))


def cpu(model, s):
    chunks = s["cpu_chunks"]
    sizes = [s["cpu_n"] // CPU_SCALE + i for i in range(chunks)]
    if model == "sequential":
        wall, total = timed(lambda: sum(map(cpu_intensive, sizes)))
    elif model == "asyncio":
        async def main():
            async def chunk(n):
                return cpu_intensive(n)
            return sum(await asyncio.gather(*(chunk(n) for n in sizes)))
        wall, total = timed(lambda: asyncio.run(main()))
    elif model == "threads":
        def run():
            with ThreadPoolExecutor(max_workers=CORES) as pool:
                return sum(pool.map(cpu_intensive, sizes))
        wall, total = timed(run)
    else:
        def run():
            with ProcessPoolExecutor() as pool:
                return sum(pool.map(cpu_intensive, sizes))
        wall, total = timed(run)
    expected = sum((n - 1) * n * (2 * n - 1) // 6 for n in sizes)
    if total != expected:
        raise RuntimeError(f"wrong sum of squares {total}, expected {expected}")
    return dict(wall_s=wall, units=chunks, metric=CORES,
                note=f"{chunks} chunks of {sizes[0] / 1e6:g}M squares (1/{CPU_SCALE} of the Rust work)")


# -- a blocking call next to a heartbeat -----------------------------------

def blocking(model, s):
    tick, block, calls = s["tick"], s["block"], s["block_calls"]
    beats = [time.perf_counter()]
    if model == "sequential":
        def run():
            for _ in range(calls):
                for _ in range(3):
                    time.sleep(tick)
                    beats.append(time.perf_counter())
                time.sleep(block)
            time.sleep(tick)
            beats.append(time.perf_counter())
        wall, _ = timed(run)
        how = "one thread: beats wait for each call"
    else:
        pool = ProcessPoolExecutor(max_workers=1) if model == "processes" else None
        if pool is not None:
            pool.submit(time.sleep, 0).result()  # start the worker outside the timing

        async def main():
            async def heart():
                while True:
                    await asyncio.sleep(tick)
                    beats.append(time.perf_counter())
            h = asyncio.create_task(heart())
            loop = asyncio.get_running_loop()
            for _ in range(calls):
                await asyncio.sleep(tick * 3)
                if model == "asyncio":
                    time.sleep(block)  # the mistake being measured
                elif model == "threads":
                    await asyncio.to_thread(time.sleep, block)
                else:
                    await loop.run_in_executor(pool, time.sleep, block)
            await asyncio.sleep(tick)
            h.cancel()
        wall, _ = timed(lambda: asyncio.run(main()))
        if pool is not None:
            pool.shutdown()
        how = {"asyncio": "time.sleep inside a coroutine",
               "threads": "asyncio.to_thread",
               "processes": "run_in_executor with a process pool"}[model]
    gap = max(b - a for a, b in zip(beats, beats[1:])) * 1000
    return dict(wall_s=wall, units=calls, metric=gap, note=f"max heartbeat gap {gap:.0f} ms; {how}")


# -- operations with a deadline --------------------------------------------

def timeouts(model, s):
    n, limit = s["timeouts"], s["limit"]
    durations = [s["fast"] if i % 2 == 0 else s["slow"] for i in range(n)]
    if model == "sequential":
        def run():
            late = 0
            for d in durations:
                time.sleep(min(d, limit))
                late += d > limit
            return late
        wall, late = timed(run)
        how = "each call waited for, up to its deadline, in turn"
    elif model == "asyncio":
        async def main():
            async def op(d):
                try:
                    await asyncio.wait_for(asyncio.sleep(d), timeout=limit)
                    return 0
                except asyncio.TimeoutError:
                    return 1
            return sum(await asyncio.gather(*(op(d) for d in durations)))
        wall, late = timed(lambda: asyncio.run(main()))
        how = "late coroutines cancelled at the deadline"
    elif model == "threads":
        from concurrent.futures import TimeoutError as FutureTimeout
        pool = ThreadPoolExecutor(max_workers=n)

        def run():
            deadline = time.perf_counter() + limit
            futures = [pool.submit(time.sleep, d) for d in durations]
            late = 0
            for f in futures:
                try:
                    f.result(timeout=max(0.0, deadline - time.perf_counter()))
                except FutureTimeout:
                    late += 1
            return late
        wall, late = timed(run)
        pool.shutdown(wait=False, cancel_futures=True)
        how = "late threads cannot be cancelled: they run on"
    else:
        raise Skip("deadlines on a process pool are not a separate case")
    return dict(wall_s=wall, units=n, metric=late, note=f"{late}/{n} timed out; {how}")


# -- reading many files ----------------------------------------------------

def read_len(path):
    with open(path, "rb") as f:
        return len(f.read())


def files(model, s):
    import shutil
    import tempfile
    folder = tempfile.mkdtemp(prefix="weft-compare-py-")
    try:
        block = bytes(i % 251 for i in range(s["file_kib"] * 1024))
        paths = []
        for i in range(s["files"]):
            path = os.path.join(folder, f"file-{i}.bin")
            with open(path, "wb") as f:
                f.write(block)
            paths.append(path)
        if model == "sequential":
            wall, total = timed(lambda: sum(map(read_len, paths)))
        elif model == "asyncio":
            async def main():
                # asyncio has no file I/O of its own: like aiofiles, hand
                # each read to a thread.
                return sum(await asyncio.gather(*(asyncio.to_thread(read_len, p) for p in paths)))
            wall, total = timed(lambda: asyncio.run(main()))
        elif model == "threads":
            def run():
                with ThreadPoolExecutor(max_workers=len(paths)) as pool:
                    return sum(pool.map(read_len, paths))
            wall, total = timed(run)
        else:
            def run():
                with ProcessPoolExecutor() as pool:
                    return sum(pool.map(read_len, paths))
            wall, total = timed(run)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    mib = total / (1024 * 1024)
    return dict(wall_s=wall, units=len(paths), metric=mib, note=f"{len(paths)} files, {mib:.1f} MiB read")


# -- fetching several URLs from a local server -----------------------------

def serve(delay):
    import socketserver

    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            request = self.rfile.readline().decode(errors="replace")
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass
            time.sleep(delay)
            parts = request.split()
            body = f"page {parts[1] if len(parts) > 1 else '/'}\n".encode()
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        request_queue_size = 1024

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address


def request(i):
    return f"GET /page/{i} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode()


def fetch_blocking(args):
    import socket

    addr, i = args
    with socket.create_connection(addr) as sock:
        sock.sendall(request(i))
        chunks = []
        while True:
            data = sock.recv(4096)
            if not data:
                break
            chunks.append(data)
    return b"".join(chunks).startswith(b"HTTP/1.1 200")


def http(model, s):
    addr = serve(s["url_delay"])
    n = s["urls"]
    jobs = [(addr, i) for i in range(n)]
    if model == "sequential":
        wall, ok = timed(lambda: sum(map(fetch_blocking, jobs)))
    elif model == "asyncio":
        async def fetch(i):
            reader, writer = await asyncio.open_connection(*addr)
            writer.write(request(i))
            await writer.drain()
            data = await reader.read()
            writer.close()
            await writer.wait_closed()
            return data.startswith(b"HTTP/1.1 200")

        async def main():
            return sum(await asyncio.gather(*(fetch(i) for i in range(n))))
        wall, ok = timed(lambda: asyncio.run(main()))
    elif model == "threads":
        def run():
            with ThreadPoolExecutor(max_workers=n) as pool:
                return sum(pool.map(fetch_blocking, jobs))
        wall, ok = timed(run)
    else:
        def run():
            with ProcessPoolExecutor() as pool:
                return sum(pool.map(fetch_blocking, jobs))
        wall, ok = timed(run)
    if ok != n:
        raise RuntimeError(f"only {ok} of {n} fetches succeeded")
    return dict(wall_s=wall, units=n, metric=ok,
                note=f"{n} URLs, server answers after {s['url_delay'] * 1000:.0f} ms")


SCENARIOS = dict(io_fanout=io_fanout, waits=waits, cpu=cpu, blocking=blocking,
                 timeouts=timeouts, files=files, http=http)


def main():
    args = sys.argv[1:]
    models = ["python sequential", "python asyncio", "python threads", "python processes"]
    try:
        scenario = args[args.index("--scenario") + 1]
        model = args[args.index("--model") + 1]
    except (ValueError, IndexError):
        sys.exit("usage: compare.py --scenario NAME --model 'python MODEL' [--quick]")
    if scenario not in SCENARIOS or model not in models:
        sys.exit(f"scenarios: {', '.join(sorted(SCENARIOS))}; models: {', '.join(models)}")
    quick = "--quick" in args
    base_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":
        base_kib //= 1024
    result = dict(wall_s=0.0, units=0, base_kib=base_kib, metric=None, note="", skipped=None)
    kind = model.split(" ", 1)[1]
    load(scenario, kind)
    try:
        result.update(SCENARIOS[scenario](kind, QUICK if quick else FULL))
    except Skip as why:
        result["skipped"] = str(why)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

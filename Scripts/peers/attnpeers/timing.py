"""The check-then-time loop for one shape, as SweepRunner.run(shape:) does it for attnbench's kernels.

For each (peer, threads): prepare untimed, run once and check that output against the float64 reference
(a failure is recorded, never timed), then `warmup` untimed runs (skipped when the check run alone took
longer than `min_time`). Then rounds: every pair still short of `repetitions` samples or `min_time` seconds
runs once per round, in a seeded random order, so that slow drifts of the machine spread over all pairs.
"""

import random
import time

from attnpeers.check import compare
from attnpeers.formats import stored_inputs
from attnpeers.inputs import shared_inputs
from attnpeers.peers import PeerUnavailable
from attnpeers.records import Record, fill_relative_speeds
from attnpeers.splitmix import FNV_PRIME, MASK64, SplitMix64


class InterruptedRun(Exception):
    """Ctrl-C during timing: carries the records made so far."""

    def __init__(self, records):
        super().__init__("interrupted")
        self.records = records


def shape_seed(base, shape):
    """SweepRunner.seed(_:_:): the seed of a shape's timing order."""
    mixed = SplitMix64(base).next()
    for field in [shape.batch, shape.heads, shape.kv_heads, shape.seq_q, shape.seq_kv, shape.head_dim,
                  1 if shape.causal else 0]:
        mixed = ((mixed ^ field) * FNV_PRIME) & MASK64
    return mixed


def now_ms():
    return time.perf_counter_ns() / 1e6


class TimingPolicy:
    def __init__(self, repetitions=3, min_time=0.5, warmup=1, max_repetitions=500, seed=42, check_rows=64):
        self.repetitions, self.min_time, self.warmup = repetitions, min_time, warmup
        self.max_repetitions, self.seed, self.check_rows = max_repetitions, seed, check_rows


def _checked_job(name, peer, shape, threads, inputs, policy, progress):
    """(record, runner or None): the peer prepared and checked on the shape at `threads`. `inputs`: (stored,
    exact), the inputs rounded to the shape's formats and the fp32 ones (for format_err)."""
    build = "peer-%s-%s" % (name, peer.version)
    (q, k, v), exact = inputs
    progress("%s %s t%d: checking against the float64 reference" % (name, shape, threads))
    try:
        peer.set_threads(threads)
        runner = peer.prepare(shape, q, k, v, threads)
        start = now_ms()
        output = runner()
        check_ms = now_ms() - start
    except PeerUnavailable as error:
        return Record(name, build, shape, threads, "skipped", str(error)), None
    tolerance = peer.tolerance(shape) if hasattr(peer, "tolerance") else None
    report = compare(shape, q, k, v, output, policy.check_rows, policy.seed,
                     exact=exact if shape.formatted else None, tolerance=tolerance)
    if not report["passed"]:
        why = "equivalence check failed"
        if report["mismatches"]:
            why += " (%d non-finite mismatches)" % report["mismatches"]
        return Record(name, build, shape, threads, "failed", why + "; " + peer_note(peer), report), None
    if check_ms < policy.min_time * 1e3:
        for _ in range(policy.warmup):
            runner()
    return Record(name, build, shape, threads, "ok", peer_note(peer), report), runner


def peer_note(peer):
    """The peer's note of its last prepared run, then what `--isa` gave it (attnpeers/isa.py), if anything."""
    return "; ".join(part for part in (peer.note, getattr(peer, "isa_note", "")) if part)


def run_shape(shape, peers, thread_counts, policy, memory_limit, progress=lambda line: None):
    """Checks, then times every (peer, threads) on one shape; returns its records in (peer, threads) order.
    `peers`: name → peer object, or → the reason it is unavailable (a string)."""
    records, jobs = [], []
    progress("%s: generating inputs" % shape)
    inputs = None
    if shape.tensor_bytes <= memory_limit:
        exact = shared_inputs(shape, policy.seed)
        inputs = (stored_inputs(shape, *exact), exact)
    for name, peer in peers.items():
        for threads in thread_counts:
            if isinstance(peer, str):
                records.append(Record(name, "peer-%s" % name, shape, threads, "skipped", peer))
                continue
            reason = peer.unsupported(shape, threads)
            needed = shape.tensor_bytes + peer.scratch_bytes(shape)
            if inputs is None or needed > memory_limit:
                reason = "memory guard: needs %.2f GiB, limit %.2f GiB" % (needed / 2 ** 30, memory_limit / 2 ** 30)
            if reason:
                records.append(Record(name, "peer-%s-%s" % (name, peer.version), shape, threads, "skipped", reason))
                continue
            record, runner = _checked_job(name, peer, shape, threads, inputs, policy, progress)
            records.append(record)
            if runner is not None:
                jobs.append((record, peer, runner))
    try:
        _time_rounds(shape, jobs, policy, progress)
    except KeyboardInterrupt:
        for record, _, _ in jobs:
            record.note = "interrupted after %d sample(s); %s" % (len(record.samples), record.note)
            if not record.samples:
                record.status = "skipped"
        fill_relative_speeds(records)
        raise InterruptedRun(records)
    fill_relative_speeds(records)
    return records


def _time_rounds(shape, jobs, policy, progress):
    generator = random.Random(shape_seed(policy.seed, shape))
    seconds = {id(record): 0.0 for record, _, _ in jobs}
    maximum = max(policy.repetitions, policy.max_repetitions)

    def needs_more(record):
        n = len(record.samples)
        return n < maximum and (n < policy.repetitions or seconds[id(record)] < policy.min_time)

    round_number = 0
    while True:
        pending = [job for job in jobs if needs_more(job[0])]
        if not pending:
            return
        round_number += 1
        if round_number == 1 or round_number % 10 == 0:
            progress("%s: timing round %d, %d peer(s)" % (shape, round_number, len(pending)))
        generator.shuffle(pending)
        for record, peer, runner in pending:
            peer.set_threads(record.threads)
            start = now_ms()
            runner()
            elapsed = now_ms() - start
            record.samples.append(elapsed)
            seconds[id(record)] += elapsed / 1e3

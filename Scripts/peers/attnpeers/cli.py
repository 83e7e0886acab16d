"""The peers' command line: `python3 -m attnpeers [options]` (Scripts/peers/run starts it in its venv).

Mirrors `attnbench sweep`'s shape and timing options with the same defaults. Shapes come from those options,
from `--preset decode|prefill`, or from attnbench results files (`--shapes-from`, what run-with-attnbench
uses so that both run exactly the same shapes). Exit status: 0 all checks passed, 1 a peer failed its check,
64 bad usage (one line on stderr), 130 interrupted (what finished is written).
"""

import argparse
import datetime
import os
import sys

from attnpeers import isa, presets
from attnpeers.environment import REPO, environment, memory_available
from attnpeers.peers import ORT_OPS, PEERS, PeerUnavailable, make_peer
from attnpeers.records import write_results
from attnpeers.schema import read_results, samples_path
from attnpeers.shape import KNOWN_FORMATS, Shape
from attnpeers.timing import InterruptedRun, TimingPolicy, run_shape

USAGE_ERROR = 64
LARGEST_DIMENSION = 1 << 24  # as ShapeOptions.largestDimension
SHAPE_DEFAULTS = {"seq": [1024], "heads": [8], "head_dim": 64, "batch": 1, "causal": "off"}


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse that answers bad usage with one line and exit 64, as attnbench does."""

    def error(self, message):
        raise UsageError(message)


def warn(message):
    print(message, file=sys.stderr, flush=True)


def int_list(text):
    values = []
    for part in text.split(","):
        part = part.strip()
        if part == "max":
            values.append("max")
            continue
        try:
            value = int(part)
        except ValueError:
            raise argparse.ArgumentTypeError("'%s' is not a whole number" % part)
        if value < 1:
            raise argparse.ArgumentTypeError("values must be at least 1, got %d" % value)
        values.append(value)
    return values


def format_list(allowed):
    def parse_formats(text):
        values = [part.strip() for part in text.split(",") if part.strip()]
        for value in values:
            if value not in allowed:
                raise argparse.ArgumentTypeError("'%s' is not one of %s" % (value, ", ".join(allowed)))
        if not values:
            raise argparse.ArgumentTypeError("no format given")
        if len(set(values)) != len(values):
            raise argparse.ArgumentTypeError("a format is named twice")
        return values
    return parse_formats


def build_parser():
    parser = Parser(prog="attnpeers", description="Races numpy, ONNX Runtime, PyTorch and ggml attention on attnbench's "
                    "shapes and inputs, checked against attnbench's float64 reference.",
                    epilog="See Scripts/peers/README.md.")
    shape = parser.add_argument_group("shapes (as attnbench; default --seq 1024 --heads 8 --head-dim 64)")
    shape.add_argument("--seq", type=int_list, help="query sequence lengths, comma-separated")
    shape.add_argument("--seq-kv", type=int_list, help="key/value lengths, paired with --seq by position; default: --seq")
    shape.add_argument("--heads", type=int_list, help="query head counts, comma-separated")
    shape.add_argument("--kv-heads", type=int, help="key/value heads (GQA, MQA); default: --heads")
    shape.add_argument("--head-dim", type=int)
    shape.add_argument("--batch", type=int)
    shape.add_argument("--causal", choices=["off", "on", "both"])
    shape.add_argument("--dtype", type=format_list(KNOWN_FORMATS[:3]),
                       help="storage of Q, K, V and O: f32, f16, bf16, comma-separated (a sweep axis; default f32)")
    shape.add_argument("--kv-dtype", type=format_list(KNOWN_FORMATS),
                       help="storage of K and V: f32, f16, bf16, q8_0, comma-separated (a sweep axis; default: --dtype)")
    shape.add_argument("--preset", choices=sorted(presets.PRESETS),
                       help="inference shapes instead of the options above (see attnpeers/presets.py)")
    shape.add_argument("--shapes-from", metavar="CSV[,CSV]",
                       help="the shapes of these attnbench results files instead of the options above; with "
                            "--dtype/--kv-dtype, their geometries in those formats instead of the files' formats")
    run = parser.add_argument_group("run (as attnbench)")
    run.add_argument("--threads", type=int_list, default=[1], help="thread counts, comma-separated; max = all cores")
    run.add_argument("--repetitions", type=int, default=3, help="minimum timed repetitions")
    run.add_argument("--min-time", type=float, default=0.5, help="minimum total timed seconds")
    run.add_argument("--warmup", type=int, default=1, help="untimed runs after the check run")
    run.add_argument("--max-repetitions", type=int, default=500)
    run.add_argument("--seed", type=int, default=42)
    run.add_argument("--check-rows", type=int, default=64, help="query rows per head checked in float64")
    run.add_argument("--output", default=None, help="results CSV; default Results/attnbench-peers-<stamp>.csv")
    run.add_argument("--quiet", action="store_true")
    peers = parser.add_argument_group("peers")
    peers.add_argument("--peers", default=",".join(PEERS), help="comma-separated: %s" % ",".join(PEERS))
    peers.add_argument("--ort-op", choices=ORT_OPS, default="auto",
                       help="ONNX graph: the opset-23 Attention op, or MatMul+Softmax; auto tries Attention first")
    peers.add_argument("--allow-spinning", action="store_true",
                       help="let idle ONNX Runtime and OpenMP worker threads spin (default: they sleep, so that "
                            "a peer's idle pool does not slow the peer timed after it on a shared core)")
    peers.add_argument("--isa", choices=isa.ISAS, default="native",
                       help="the peers' instruction set: native (their own dispatch) or avx2 (PyTorch, MKL, oneDNN "
                            "and OpenBLAS capped at AVX2; ONNX Runtime as it is); the note column records it")
    peers.add_argument("--peak-gflops", type=float, default=None,
                       help="per-core fp32 peak (e.g. attnbench's probe); fills peak_gflops and peak_fraction")
    return parser


def parse(argv):
    """The validated options; UsageError with a one-line message otherwise."""
    parser = build_parser()
    args = parser.parse_args(argv)
    explicit = [name for name in ["seq", "seq_kv", "heads", "kv_heads", "head_dim", "batch", "causal"]
                if getattr(args, name) is not None]
    sources = [flag for flag, given in [("--preset", args.preset), ("--shapes-from", args.shapes_from),
                                        ("shape options", explicit)] if given]
    if len(sources) > 1:
        raise UsageError("%s exclude each other" % " and ".join(sources))
    for name, value in SHAPE_DEFAULTS.items():
        if getattr(args, name) is None and not (args.shapes_from or (args.preset and name != "batch")):
            setattr(args, name, value)
    for name, value in [("--head-dim", args.head_dim), ("--batch", args.batch), ("--kv-heads", args.kv_heads),
                        ("--repetitions", args.repetitions), ("--check-rows", args.check_rows),
                        ("--max-repetitions", args.max_repetitions)]:
        if value is not None and value < 1:
            raise UsageError("%s must be at least 1, got %d" % (name, value))
    for name, values in [("--seq", args.seq), ("--seq-kv", args.seq_kv), ("--heads", args.heads)]:
        if values and "max" in values:
            raise UsageError("max is allowed in --threads only, not in %s" % name)
        if values and max(values) > LARGEST_DIMENSION:
            raise UsageError("%s %d is absurdly large (at most %d)" % (name, max(values), LARGEST_DIMENSION))
    for name, value in [("--head-dim", args.head_dim), ("--batch", args.batch), ("--kv-heads", args.kv_heads)]:
        if value is not None and value > LARGEST_DIMENSION:
            raise UsageError("%s %d is absurdly large (at most %d)" % (name, value, LARGEST_DIMENSION))
    if not (0 <= args.min_time <= 3600):
        raise UsageError("--min-time must be between 0 and 3600 seconds, got %g" % args.min_time)
    if not (0 <= args.warmup <= 1000):
        raise UsageError("--warmup must be between 0 and 1000, got %d" % args.warmup)
    if not (0 <= args.seed < 1 << 64):
        raise UsageError("--seed must be a 64-bit unsigned integer")
    args.peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    for peer in args.peers:
        if peer not in PEERS:
            raise UsageError("unknown peer '%s' in --peers; available: %s" % (peer, ", ".join(PEERS)))
    if len(set(args.peers)) != len(args.peers):
        raise UsageError("--peers names a peer twice")
    args.shapes = shapes(args)
    return args


def shapes_from_results(paths):
    """The distinct shapes of attnbench results files, in order of first appearance."""
    found = []
    for path in paths:
        try:
            _, rows = read_results(path)
            for row in rows:
                shape = Shape.from_fields(row)
                if shape not in found:
                    found.append(shape)
        except (OSError, ValueError) as error:
            raise UsageError("--shapes-from: %s" % error)
    if not found:
        raise UsageError("--shapes-from: no results rows in %s" % ", ".join(paths))
    return found


def in_formats(geometries, dtypes, kv_dtypes):
    """Every shape in every (dtype, kv_dtype), the formats innermost (one geometry's formats run in a row and
    share its fp32 inputs); kv_dtype defaults to the dtype."""
    result = []
    for shape in geometries:
        for dtype in dtypes:
            for kv_dtype in kv_dtypes or [dtype]:
                formatted = shape.with_formats(dtype, kv_dtype)
                if formatted not in result:
                    result.append(formatted)
    return result


def shapes(args):
    """The shapes to run, ordered as attnbench orders them: by mask, heads, then length, then format."""
    if args.shapes_from:
        found = shapes_from_results([p for p in args.shapes_from.split(",") if p])
        if args.dtype or args.kv_dtype:
            return in_formats(found, args.dtype or ["f32"], args.kv_dtype)
        return found
    if args.preset:
        return in_formats(presets.shapes(args.preset, args.batch or 1), args.dtype or ["f32"], args.kv_dtype)
    result = []
    for causal in {"off": [False], "on": [True], "both": [False, True]}[args.causal]:
        for heads in args.heads:
            kv_heads = args.kv_heads or heads
            if heads % kv_heads:
                raise UsageError("--heads %d must be a multiple of --kv-heads %d" % (heads, kv_heads))
            for index, length in enumerate(args.seq):
                keys = args.seq_kv[min(index, len(args.seq_kv) - 1)] if args.seq_kv else length
                result.append(Shape(args.batch, heads, kv_heads, length, keys, args.head_dim, causal))
    return in_formats(result, args.dtype or ["f32"], args.kv_dtype)


def render(records):
    lines = ["%-15s %-46s %3s %8s %11s %9s %10s  %s" % ("peer", "shape", "thr", "status", "median ms", "GFLOP/s",
                                                         "format_err", "note")]
    for r in records:
        stats = r.stats
        format_err = (r.check or {}).get("format_err")
        lines.append("%-15s %-46s %3d %8s %11s %9s %10s  %s" % (
            r.peer, str(r.shape), r.threads, r.status, "%.3f" % stats["median"] if stats else "-",
            "%.2f" % r.gflops if r.gflops else "-", "%.3g" % format_err if format_err is not None else "-", r.note))
    return "\n".join(lines)


def thread_counts(requested, cores):
    counts = []
    for value in requested:
        value = cores if value == "max" else value
        if value not in counts:
            counts.append(value)
    return counts


def make_peers(names, args):
    """name → peer, or → why it is unavailable."""
    peers = {}
    for name in names:
        try:
            peers[name] = make_peer(name, args.ort_op, args.allow_spinning)
            peers[name].isa_note = isa.note_for(args.isa, name)
        except PeerUnavailable as error:
            peers[name] = str(error)
            warn("note: peer %s skipped: %s" % (name, error))
    return peers


def main(argv):
    try:
        args = parse(argv)
    except UsageError as error:
        warn("attnpeers: error: %s" % error)
        return USAGE_ERROR
    # Read by the libraries when they load: before any peer is made.
    isa.apply(args.isa)
    if not args.allow_spinning:
        # Must be set before torch (OpenMP) is imported; a value the user set wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    env = environment()
    counts = thread_counts(args.threads, env["cores"])
    try:
        import threadpoolctl  # noqa: F401
    except ImportError:
        if len(counts) == 1:
            # Without threadpoolctl BLAS threads are fixed when numpy loads, which has not happened yet.
            for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
                os.environ.setdefault(variable, str(counts[0]))
    output = args.output or os.path.join(REPO, "Results", "attnbench-peers-%s.csv"
                                         % datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S"))
    progress = (lambda line: None) if args.quiet else (lambda line: warn("… " + line))
    peers = make_peers(args.peers, args)
    available = memory_available()
    memory_limit = int(0.8 * available) if available else 1 << 62
    policy = TimingPolicy(args.repetitions, args.min_time, args.warmup, args.max_repetitions, args.seed,
                          args.check_rows)

    print("attnpeers on %s, %d cores; peers: %s" % (env["cpu_model"], env["cores"], ", ".join(
        "%s (not installed)" % n if isinstance(p, str) else "%s %s" % (n, p.version) for n, p in peers.items())))
    records = []
    interrupted = False
    for shape in args.shapes:
        try:
            records += run_shape(shape, peers, counts, policy, memory_limit, progress)
        except InterruptedRun as stop:
            records += stop.records
            interrupted = True
        write_results(output, records, env, args.peak_gflops)  # after every shape: an interrupt keeps what finished
        if interrupted:
            break
    if not records:
        write_results(output, records, env, args.peak_gflops)
    print(render(records))
    print("results: %s\nsamples: %s" % (output, samples_path(output)))
    if env["noisy"]:
        warn("warning: noisy machine: load average %.2f exceeds the %d cores; compare ratios, not absolute times"
             % (env["load_average"], env["cores"]))
    if interrupted:
        warn("interrupted: %d record(s) written" % len(records))
        return 130
    failed = [r for r in records if r.status == "failed"]
    if failed:
        warn("error: %d peer benchmark(s) failed the equivalence check: %s" % (
            len(failed), "; ".join("%s %s t%d" % (r.peer, r.shape, r.threads) for r in failed)))
        return 1
    return 0

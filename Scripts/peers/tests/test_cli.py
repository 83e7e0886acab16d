"""The command line: bad usage is one line and exit 64; presets and --shapes-from give the right shapes; a
small run writes attnbench's schema."""

import contextlib
import io
import os
import subprocess
import sys
import tempfile
import unittest

import support
from attnpeers import cli, presets
from attnpeers.schema import COLUMNS, SAMPLE_COLUMNS, read, samples_path, write_atomic
from attnpeers.shape import Shape


def run_main(argv):
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = cli.main(argv)
    return status, stdout.getvalue(), stderr.getvalue()


class UsageTests(unittest.TestCase):
    def test_bad_usage_is_one_line_and_exit_64(self):
        cases = [
            (["--seq", "0"], "at least 1"),
            (["--seq", "abc"], "not a whole number"),
            (["--heads", "6", "--kv-heads", "4"], "multiple of --kv-heads 4"),
            (["--kv-heads", "0"], "--kv-heads must be at least 1"),
            (["--heads", "max"], "max is allowed in --threads only"),
            (["--seq", "16777217"], "absurdly large"),
            (["--peers", "numpy,bogus"], "unknown peer 'bogus'"),
            (["--peers", "numpy,numpy"], "twice"),
            (["--preset", "decode", "--seq", "4"], "exclude each other"),
            (["--preset", "huge"], "invalid choice"),
            (["--min-time", "-1"], "--min-time"),
            (["--seed", "-1"], "--seed"),
            (["--frobnicate"], "unrecognized arguments"),
            (["--shapes-from", "/nonexistent/file.csv"], "--shapes-from"),
            (["--dtype", "q8_0"], "'q8_0' is not one of f32, f16, bf16"),
            (["--kv-dtype", "f8"], "'f8' is not one of"),
            (["--dtype", "f16,f16"], "named twice"),
            (["--kv-dtype", ","], "no format given"),
        ]
        for argv, message in cases:
            with self.subTest(argv=argv):
                status, stdout, stderr = run_main(argv)
                self.assertEqual(status, cli.USAGE_ERROR)
                self.assertEqual(stdout, "")
                self.assertEqual(len(stderr.strip().splitlines()), 1, stderr)
                self.assertIn(message, stderr)
                self.assertTrue(stderr.startswith("attnpeers: error: "))

    def test_parsing_loads_no_numpy(self):
        # Without threadpoolctl, BLAS threads are set through the environment before numpy first loads.
        code = ("import sys; from attnpeers import cli; cli.parse(['--preset', 'decode']); "
                "cli.parse(['--seq', '4', '--heads', '8', '--kv-heads', '2']); print('numpy' in sys.modules)")
        done = subprocess.run([sys.executable, "-B", "-c", code], capture_output=True, text=True,
                              env=dict(os.environ, PYTHONPATH=support.PEERS_DIR))
        self.assertEqual((done.returncode, done.stdout.strip()), (0, "False"), done.stderr)

    def test_defaults_are_attnbench_defaults(self):
        self.assertEqual(cli.parse([]).shapes, [Shape(1, 8, 8, 1024, 1024, 64, False)])

    def test_seq_kv_pairs_by_position_and_causal_both(self):
        shapes = cli.parse(["--seq", "1,4,16", "--seq-kv", "100,200", "--heads", "8", "--kv-heads", "2",
                            "--causal", "both"]).shapes
        self.assertEqual([(s.causal, s.seq_q, s.seq_kv) for s in shapes],
                         [(False, 1, 100), (False, 4, 200), (False, 16, 200), (True, 1, 100), (True, 4, 200),
                          (True, 16, 200)])
        self.assertEqual({(s.heads, s.kv_heads) for s in shapes}, {(8, 2)})


    def test_formats_are_sweep_axes(self):
        shapes = cli.parse(["--seq", "1,4", "--seq-kv", "64", "--dtype", "f32,bf16", "--kv-dtype", "f16,q8_0"]).shapes
        self.assertEqual([(s.seq_q, s.dtype, s.kv_dtype) for s in shapes],
                         [(q, d, kv) for q in (1, 4) for d in ("f32", "bf16") for kv in ("f16", "q8_0")])
        self.assertEqual([(s.dtype, s.kv_dtype) for s in cli.parse(["--dtype", "f16,bf16"]).shapes],
                         [("f16", "f16"), ("bf16", "bf16")])  # kv_dtype defaults to the dtype
        self.assertEqual({(s.dtype, s.kv_dtype) for s in cli.parse(["--preset", "prefill", "--kv-dtype", "q8_0"]).shapes},
                         {("f32", "q8_0")})


class PresetTests(unittest.TestCase):
    def test_decode_covers_the_issue_shapes(self):
        shapes = cli.parse(["--preset", "decode"]).shapes
        self.assertEqual(len(shapes), 3 * 8 * 3)
        self.assertEqual({s.seq_q for s in shapes}, {1, 4, 16})
        self.assertEqual(sorted({s.seq_kv for s in shapes}), [1024 << i for i in range(8)])
        self.assertEqual({s.kv_heads for s in shapes}, {32, 8, 1})
        self.assertEqual({(s.heads, s.head_dim, s.causal, s.batch) for s in shapes}, {(32, 128, True, 1)})
        self.assertIn(Shape(1, 32, 8, 1, 32768, 128, True), shapes)

    def test_prefill_is_square_with_gqa(self):
        shapes = cli.parse(["--preset", "prefill"]).shapes
        self.assertTrue(all(s.seq_q == s.seq_kv for s in shapes))
        self.assertIn(Shape(1, 32, 8, 4096, 4096, 128, True), shapes)

    def test_attnbench_sweeps_give_the_same_shapes(self):
        # The lines run-with-attnbench passes to an attnbench without --preset, parsed as attnbench parses them.
        for name in presets.PRESETS:
            with self.subTest(preset=name):
                swept = [shape for options in presets.sweeps(name) for shape in cli.parse(options).shapes]
                self.assertEqual(swept, presets.shapes(name))

    def test_module_prints_one_line_per_sweep(self):
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            self.assertEqual(presets.main(["decode"]), 0)
        lines = stdout.getvalue().splitlines()
        self.assertEqual(len(lines), 3)
        self.assertTrue(lines[1].startswith("--seq 1,1,"))
        self.assertIn("--kv-heads 8", lines[1])
        with contextlib.redirect_stderr(io.StringIO()):
            self.assertEqual(presets.main(["nope"]), 64)


class RunTests(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)

    def test_shapes_from_results_files(self):
        bench = os.path.join(self.directory.name, "bench.csv")
        first, second = Shape(1, 8, 2, 4, 300, 16, True), Shape(1, 8, 8, 64, 64, 64, False)
        rows = []
        for kernel, shape in [("naive", first), ("fused", first), ("naive", second)]:
            values = dict(shape.fields(), schema_version="1", kernel=kernel)
            rows.append([values.get(c, "") for c in COLUMNS + ["min_bytes"]])
        write_atomic(bench, COLUMNS + ["min_bytes"], rows)
        self.assertEqual(cli.parse(["--shapes-from", bench]).shapes, [first, second])
        # --dtype/--kv-dtype replace the files' formats: their geometries in the formats asked for.
        self.assertEqual(cli.parse(["--shapes-from", bench, "--kv-dtype", "q8_0"]).shapes,
                         [first.with_formats("f32", "q8_0"), second.with_formats("f32", "q8_0")])

    def test_shapes_from_reads_formats_and_older_files_as_f32(self):
        bench = os.path.join(self.directory.name, "bench.csv")
        shape = Shape(1, 8, 2, 4, 300, 32, True)
        older = [c for c in COLUMNS if c not in ("dtype", "kv_dtype", "format_err")]
        write_atomic(bench, older, [[dict(shape.fields(), schema_version="1", kernel="naive").get(c, "") for c in older]])
        self.assertEqual([(s.dtype, s.kv_dtype) for s in cli.parse(["--shapes-from", bench]).shapes], [("f32", "f32")])
        newer = os.path.join(self.directory.name, "newer.csv")
        rows = [[dict(shape.with_formats(d, kv).fields(), schema_version="1", kernel="naive").get(c, "") for c in COLUMNS]
                for d, kv in [("bf16", "q8_0"), ("f16", "f16"), ("bf16", "q8_0")]]
        write_atomic(newer, COLUMNS, rows)
        self.assertEqual([(s.dtype, s.kv_dtype) for s in cli.parse(["--shapes-from", newer]).shapes],
                         [("bf16", "q8_0"), ("f16", "f16")])
        bad = os.path.join(self.directory.name, "bad.csv")
        write_atomic(bad, COLUMNS, [[dict(shape.fields(), schema_version="1", dtype="q8_0").get(c, "") for c in COLUMNS]])
        status, _, stderr = run_main(["--shapes-from", bad])
        self.assertEqual(status, cli.USAGE_ERROR)
        self.assertIn("dtype", stderr)

    def test_formats_run_writes_format_columns(self):
        output = os.path.join(self.directory.name, "peers.csv")
        status, stdout, stderr = run_main([
            "--seq", "4", "--seq-kv", "40", "--heads", "4", "--kv-heads", "2", "--head-dim", "8", "--causal", "on",
            "--peers", "numpy,torch", "--dtype", "bf16", "--kv-dtype", "bf16,q8_0", "--repetitions", "1",
            "--min-time", "0", "--warmup", "0", "--quiet", "--output", output])
        self.assertEqual(status, 0, stderr)
        _, rows = read(output)
        by = {(r["kernel"], r["kv_dtype"]): r for r in rows}
        self.assertEqual({r["dtype"] for r in rows}, {"bf16"})
        self.assertEqual((by["numpy", "q8_0"]["status"], by["numpy", "bf16"]["status"]), ("ok", "ok"))
        self.assertIn("converted to float32 inside the timed call", by["numpy", "q8_0"]["note"])
        self.assertGreater(float(by["numpy", "q8_0"]["format_err"]), 0)
        self.assertEqual(by["torch", "q8_0"]["status"], "skipped")  # no q8_0 in PyTorch (or no PyTorch here)
        self.assertTrue(by["torch", "q8_0"]["note"])
        self.assertIn("B1 H4/KV2 Nq4 Nk40 d8 causal bf16 kv:q8_0", stdout)
        _, samples = read(samples_path(output))
        self.assertEqual({(s["dtype"], s["kv_dtype"]) for s in samples}, {("bf16", "bf16"), ("bf16", "q8_0")})

    def test_small_decode_run_writes_the_schema(self):
        try:
            import threadpoolctl  # noqa: F401
            threads = [1, 2]
        except ImportError:  # BLAS threads cannot change in this process: the numpy peers skip other counts
            threads = [1]
        output = os.path.join(self.directory.name, "peers.csv")
        status, stdout, stderr = run_main([
            "--seq", "1,4", "--seq-kv", "96", "--heads", "4", "--kv-heads", "2", "--head-dim", "8", "--causal", "on",
            "--peers", "numpy,numpy-gqa", "--threads", ",".join(map(str, threads)), "--repetitions", "2", "--min-time", "0",
            "--warmup", "0", "--quiet", "--output", output, "--peak-gflops", "100"])
        self.assertEqual(status, 0, stderr)
        header, rows = read(output)
        self.assertEqual(header, COLUMNS)
        self.assertEqual(len(rows), 2 * 2 * len(threads))
        self.assertEqual({r["status"] for r in rows}, {"ok"})
        self.assertEqual({(r["seq_q"], r["seq_kv"], r["kv_heads"]) for r in rows}, {("1", "96", "2"), ("4", "96", "2")})
        self.assertTrue(all(r["build"].startswith("peer-numpy") and r["repetitions"] == "2" for r in rows))
        self.assertTrue(all(float(r["peak_gflops"]) == 100 * int(r["threads"]) for r in rows))
        sample_header, samples = read(samples_path(output))
        self.assertEqual((sample_header, len(samples)), (SAMPLE_COLUMNS, 2 * len(rows)))
        self.assertIn("results: %s" % output, stdout)


if __name__ == "__main__":
    unittest.main()

"""merge: columns by name, speed-ups from attnbench's naive row, roofline columns inherited by peer rows."""

import os
import subprocess
import sys
import tempfile
import unittest

import support
from attnpeers.merge import merge
from attnpeers.schema import COLUMNS, SAMPLE_COLUMNS, read, samples_path, write_atomic

BASE = {"schema_version": "1", "host": "h", "batch": "1", "heads": "8", "kv_heads": "8", "seq_q": "64",
        "seq_kv": "64", "head_dim": "64", "causal": "false", "threads": "1", "pin": "none", "status": "ok"}
ROOFLINE = ["host_id", "bandwidth_gbs", "min_bytes", "roofline_gflops", "roofline_fraction"]


def row(columns, **values):
    return [dict(BASE, **values).get(c, "") for c in columns]


class MergeTests(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)

    def path(self, name):
        return os.path.join(self.directory.name, name)

    def write_peers(self):
        peers = self.path("peers.csv")
        write_atomic(peers, COLUMNS, [row(COLUMNS, kernel="numpy", build="peer-numpy-2", median_ms="4", gflops="10"),
                                      row(COLUMNS, kernel="numpy", build="peer-numpy-2", median_ms="4", causal="true"),
                                      row(COLUMNS, kernel="torch", build="peer-torch", status="skipped"),
                                      row(COLUMNS, kernel="numpy", build="peer-numpy-2", median_ms="2", gflops="20",
                                          threads="2")])
        write_atomic(samples_path(peers), SAMPLE_COLUMNS,
                     [["1", "t", "h", "numpy", "1", "8", "8", "64", "64", "64", "false", "1", "none", "0", "4", "f32",
                       "f32"]])
        return peers

    def test_older_attnbench_file_and_speedups(self):
        bench = self.path("bench.csv")
        old_columns = COLUMNS[:COLUMNS.index("parallel_efficiency") + 1] + ["note"]
        write_atomic(bench, old_columns, [row(old_columns, kernel="naive", build="release-simd16", median_ms="10"),
                                          row(old_columns, kernel="fused", build="release-simd16", median_ms="2",
                                              note="x,y")])
        write_atomic(samples_path(bench), SAMPLE_COLUMNS[:-2],  # an older samples file: no formats
                     [["1", "t", "h", "naive", "1", "8", "8", "64", "64", "64", "false", "1", "none", "0", "10"]])
        out = self.path("all.csv")
        self.assertEqual(merge([bench, self.write_peers()], out), (6, 2))
        header, rows = read(out)
        self.assertEqual(header, COLUMNS)
        self.assertEqual([r["kernel"] for r in rows], ["naive", "fused", "numpy", "numpy", "torch", "numpy"])
        self.assertEqual([r["speedup_vs_naive"] for r in rows], ["", "", "2.5", "", "", "5"])
        self.assertEqual(rows[1]["note"], "x,y")
        self.assertEqual({(r["dtype"], r["kv_dtype"]) for r in rows}, {("f32", "f32")})  # older rows read as f32
        sample_header, samples = read(samples_path(out))
        self.assertEqual(sample_header, SAMPLE_COLUMNS)
        self.assertEqual([s["kernel"] for s in samples], ["naive", "numpy"])
        self.assertEqual([(s["dtype"], s["kv_dtype"]) for s in samples], [("f32", "f32")] * 2)

    def test_formats_are_part_of_the_shape(self):
        bench = self.path("bench.csv")
        write_atomic(bench, COLUMNS, [row(COLUMNS, kernel="naive", build="r", median_ms="10", dtype="f32"),
                                      row(COLUMNS, kernel="naive", build="r", median_ms="30", dtype="bf16",
                                          kv_dtype="q8_0")])
        peers = self.path("peers.csv")
        write_atomic(peers, COLUMNS, [row(COLUMNS, kernel="ggml", build="peer-ggml-1", median_ms="5", dtype="bf16",
                                          kv_dtype="q8_0", format_err="0.001"),
                                      row(COLUMNS, kernel="ggml", build="peer-ggml-1", median_ms="5", dtype="f16")])
        out = self.path("all.csv")
        self.assertEqual(merge([bench, peers], out), (4, 1))
        _, rows = read(out)
        self.assertEqual([(r["dtype"], r["kv_dtype"], r["speedup_vs_naive"]) for r in rows[2:]],
                         [("bf16", "q8_0", "6"), ("f16", "f16", "")])  # kv_dtype defaults to the dtype
        self.assertEqual(rows[2]["format_err"], "0.001")

    def test_newer_attnbench_columns_are_kept_and_inherited(self):
        bench = self.path("bench.csv")
        columns = COLUMNS + ROOFLINE
        write_atomic(bench, columns, [
            row(columns, kernel="naive", build="r", median_ms="10", host_id="hid", bandwidth_gbs="30", min_bytes="1e6",
                roofline_gflops="40", roofline_fraction="0.1"),
            row(columns, kernel="parallel", build="r", median_ms="1", threads="2", host_id="hid", bandwidth_gbs="50",
                min_bytes="1e6", roofline_gflops="80", roofline_fraction="0.5"),
            row(columns, kernel="fused", build="r", median_ms="1", causal="true", host_id="hid", bandwidth_gbs="30",
                min_bytes="7e5", roofline_gflops="25")])
        out = self.path("all.csv")
        merge([bench, self.write_peers()], out)
        header, rows = read(out)
        self.assertEqual(header, COLUMNS + ROOFLINE)
        numpy_1t, numpy_causal, torch, numpy_2t = rows[3:]
        self.assertEqual([numpy_1t[c] for c in ROOFLINE], ["hid", "30", "1e6", "40", "0.25"])
        self.assertEqual([numpy_2t[c] for c in ROOFLINE], ["hid", "50", "1e6", "80", "0.25"])
        self.assertEqual([numpy_causal[c] for c in ROOFLINE], ["hid", "30", "7e5", "25", ""])  # no gflops
        self.assertEqual(torch["roofline_fraction"], "")
        self.assertEqual(rows[0]["roofline_fraction"], "0.1")  # attnbench's own rows are left alone

    def test_other_schema_version_is_refused(self):
        bench = self.path("bench.csv")
        write_atomic(bench, COLUMNS, [row(COLUMNS, kernel="naive", schema_version="9")])
        with self.assertRaisesRegex(ValueError, "schema_version 9"):
            merge([bench], self.path("all.csv"))

    def test_command_line(self):
        script = os.path.join(support.PEERS_DIR, "merge")
        peers = self.write_peers()
        done = subprocess.run([sys.executable, script, "--output", self.path("all.csv"), peers],
                              capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("merged 4 row(s)", done.stdout)
        broken = self.path("broken.csv")
        with open(broken, "w") as handle:
            handle.write("schema_version,kernel\n1,a,b\n")
        done = subprocess.run([sys.executable, script, "--output", self.path("x.csv"), broken],
                              capture_output=True, text=True)
        self.assertEqual(done.returncode, 1)
        self.assertIn("broken.csv:2: 3 fields", done.stderr)


if __name__ == "__main__":
    unittest.main()

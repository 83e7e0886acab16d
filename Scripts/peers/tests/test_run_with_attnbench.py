"""Scripts/peers/run-with-attnbench against a fake attnbench: presets are passed through or expanded into
one sweep per KV-head count, the peers run the shapes attnbench wrote, and the parts are merged."""

import os
import shutil
import sys
import tempfile
import unittest

import support
from attnpeers import presets
from attnpeers.schema import read

FAKE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_attnbench.py")


@unittest.skipUnless(shutil.which("bash"), "needs bash")
class RunWithAttnbenchTests(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)
        self.log = os.path.join(self.directory.name, "sweeps.log")
        self.output = os.path.join(self.directory.name, "all.csv")

    def run_script(self, arguments, preset_known=False, dtype_known=False):
        environment = dict(os.environ, ATTNBENCH="%s %s" % (sys.executable, FAKE), FAKE_ATTNBENCH_LOG=self.log,
                           FAKE_ATTNBENCH_PRESET="1" if preset_known else "0",
                           FAKE_ATTNBENCH_DTYPE="1" if dtype_known else "0")
        return support.run_with_attnbench(self.output, arguments, environment)

    def sweeps(self):
        with open(self.log) as handle:
            return handle.read().splitlines()

    def test_preset_expanded_when_attnbench_lacks_it(self):
        done = self.run_script(["--preset", "decode"])
        self.assertEqual(done.returncode, 0, done.stderr)
        expected = [" ".join(options) + " --threads 1 --repetitions 1 --min-time 0 --warmup 0 --quiet"
                    for options in presets.sweeps("decode")]
        self.assertEqual(self.sweeps(), expected)
        _, rows = read(self.output)
        self.assertEqual([r["kernel"] for r in rows], ["naive", "naive", "naive", "numpy"])
        peer = rows[-1]
        self.assertEqual((peer["status"], peer["seq_q"], peer["seq_kv"], peer["kv_heads"]), ("ok", "2", "64", "2"))
        self.assertEqual((peer["peak_gflops"], peer["min_bytes"], peer["speedup_vs_naive"] != ""), ("50", "4096", True))
        self.assertTrue(os.path.exists(os.path.join(self.directory.name, "all.parts", "attnbench-3.csv")))

    def test_preset_passed_through_when_attnbench_knows_it(self):
        done = self.run_script(["--preset", "prefill"], preset_known=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual([line.split(" --threads")[0] for line in self.sweeps()], ["--preset prefill"])

    def test_shape_options_go_to_attnbench(self):
        done = self.run_script(["--seq", "1,4", "--seq-kv", "4096", "--heads", "32", "--kv-heads", "8"])
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertTrue(self.sweeps()[0].startswith("--seq 1,4 --seq-kv 4096 --heads 32 --kv-heads 8 --threads 1"))

    def test_formats_go_to_both(self):
        for known in (True, False):
            with self.subTest(attnbench_has_dtype=known):
                if os.path.exists(self.log):
                    os.remove(self.log)
                done = self.run_script(["--seq", "2", "--dtype", "bf16", "--kv-dtype", "q8_0,f16"], dtype_known=known)
                self.assertEqual(done.returncode, 0, done.stderr)
                self.assertEqual("--dtype bf16 --kv-dtype q8_0,f16" in self.sweeps()[0], known)
                self.assertEqual("has no --dtype" in done.stderr, not known)
                _, rows = read(self.output)
                self.assertEqual([(r["kernel"], r["dtype"], r["kv_dtype"]) for r in rows],
                                 [("naive", "f32", "f32"), ("numpy", "bf16", "q8_0"), ("numpy", "bf16", "f16")])
                self.assertEqual(rows[1]["status"], "ok")
                self.assertNotEqual(rows[1]["format_err"], "")

    def test_bad_usage(self):
        for arguments, message in [(["--preset", "decode", "--seq", "4"], "exclude each other"),
                                   (["--preset", "bogus"], "unknown --preset"), (["--bogus", "1"], "unknown option"),
                                   (["--dtype", "q8_0"], "'q8_0' is not one of f32, f16, bf16"),
                                   (["--kv-dtype", "f16,int4"], "'int4' is not one of")]:
            with self.subTest(arguments=arguments):
                done = self.run_script(arguments)
                self.assertEqual(done.returncode, 64)
                self.assertIn(message, done.stderr)
                self.assertEqual(len(done.stderr.strip().splitlines()), 1, done.stderr)
                self.assertFalse(os.path.exists(self.log))


if __name__ == "__main__":
    unittest.main()

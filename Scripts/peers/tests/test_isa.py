"""`--isa` (issue 21): the variables it sets reach the peer process, the note records the ISA, and a bad
value is one line and exit 64, in attnpeers and in run-with-attnbench (which also builds attnbench for AVX2)."""

import contextlib
import io
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

import support
from attnpeers import cli, isa
from attnpeers.schema import read

FAKE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_attnbench.py")


def numpy_installed():
    try:
        import numpy  # noqa: F401
        return True
    except ImportError:
        return False


class EnvironmentTests(unittest.TestCase):
    def test_avx2_sets_the_switches_and_unsets_the_l2_size(self):
        environ = isa.apply("avx2", {"OPENBLAS_L2_SIZE": "1048576", "PATH": "/bin"})
        self.assertEqual(environ, {"PATH": "/bin", "ATEN_CPU_CAPABILITY": "avx2", "MKL_ENABLE_INSTRUCTIONS": "AVX2",
                                   "ONEDNN_MAX_CPU_ISA": "AVX2", "OPENBLAS_CORETYPE": "Haswell"})

    def test_native_changes_nothing(self):
        self.assertEqual(isa.apply("native", {"OPENBLAS_L2_SIZE": "1"}), {"OPENBLAS_L2_SIZE": "1"})
        for peer in ("numpy", "onnxruntime", "torch", "ggml"):
            self.assertEqual(isa.note_for("native", peer), "")

    def test_notes_say_what_each_library_runs(self):
        environ = isa.apply("avx2", {})
        self.assertIn("ATEN_CPU_CAPABILITY=avx2", isa.note_for("avx2", "torch", set(), environ))
        self.assertIn("OPENBLAS_CORETYPE=Haswell, OPENBLAS_L2_SIZE unset", isa.note_for("avx2", "numpy-gqa", set(), environ))
        self.assertIn("ONNX Runtime's own", isa.note_for("avx2", "onnxruntime", {"avx2", "fma", "avx512f"}, environ))
        self.assertIn("AVX-512F on this CPU", isa.note_for("avx2", "onnxruntime-gqa", {"avx2", "fma", "avx512f"}, environ))
        self.assertIn("AVX2/FMA on this CPU", isa.note_for("avx2", "onnxruntime", {"avx", "avx2", "fma"}, environ))

    def test_bad_value_is_one_line_and_exit_64(self):
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            status = cli.main(["--isa", "avx512"])
        self.assertEqual((status, stdout.getvalue()), (cli.USAGE_ERROR, ""))
        self.assertEqual(len(stderr.getvalue().strip().splitlines()), 1, stderr.getvalue())
        self.assertIn("--isa", stderr.getvalue())


@unittest.skipUnless(numpy_installed(), "needs numpy")
class PeerProcessTests(unittest.TestCase):
    """attnpeers in its own process, as Scripts/peers/run starts it: the note is written there, from what the
    process's environment holds after --isa."""

    def run_peers(self, arguments):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        output = os.path.join(directory.name, "peers.csv")
        environ = dict(os.environ, PYTHONPATH=support.PEERS_DIR, OPENBLAS_L2_SIZE="1048576", PYTHONDONTWRITEBYTECODE="1")
        done = subprocess.run([sys.executable, "-B", "-m", "attnpeers", "--peers", "numpy", "--seq", "8", "--heads", "1",
                               "--head-dim", "8", "--repetitions", "1", "--min-time", "0", "--warmup", "0", "--quiet",
                               "--output", output] + arguments, capture_output=True, text=True, env=environ, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        return read(output)[1]

    def test_avx2_reaches_the_peer_process_and_its_note(self):
        rows = self.run_peers(["--isa", "avx2"])
        self.assertEqual(rows[0]["status"], "ok")
        self.assertIn("isa avx2: OPENBLAS_CORETYPE=Haswell, OPENBLAS_L2_SIZE unset", rows[0]["note"])

    def test_native_notes_no_isa(self):
        rows = self.run_peers([])
        self.assertNotIn("isa", rows[0]["note"])


@unittest.skipUnless(shutil.which("bash"), "needs bash")
class RunWithAttnbenchIsaTests(unittest.TestCase):
    """Without ATTNBENCH, --isa avx2 builds attnbench for AVX2 in its own scratch path: a fake `swift` on PATH
    logs how it was called and stands in for `swift run ... attnbench`."""

    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)
        self.log = os.path.join(self.directory.name, "sweeps.log")
        self.swift_log = os.path.join(self.directory.name, "swift.log")
        self.output = os.path.join(self.directory.name, "all.csv")
        swift = os.path.join(self.directory.name, "swift")
        with open(swift, "w") as handle:
            handle.write('#!/usr/bin/env bash\necho "ATTNBENCH_CPU=${ATTNBENCH_CPU:-} $*" >> "%s"\n'
                         'while [ "$1" != attnbench ]; do shift; done; shift\nexec "%s" -B "%s" "$@"\n'
                         % (self.swift_log, sys.executable, FAKE))
        os.chmod(swift, os.stat(swift).st_mode | stat.S_IXUSR)

    def run_script(self, arguments, **extra):
        environ = dict(os.environ, FAKE_ATTNBENCH_LOG=self.log, PATH=self.directory.name + os.pathsep + os.environ["PATH"])
        environ.pop("ATTNBENCH", None)
        environ.pop("ATTNBENCH_CPU", None)
        environ.update(extra)
        return support.run_with_attnbench(self.output, arguments, environ)

    def swift_calls(self):
        with open(self.swift_log) as handle:
            return handle.read().splitlines()

    @unittest.skipUnless(numpy_installed(), "needs numpy")
    def test_avx2_builds_attnbench_for_avx2_and_the_peers_note_it(self):
        done = self.run_script(["--seq", "2", "--isa", "avx2"])
        self.assertEqual(done.returncode, 0, done.stderr)
        calls = self.swift_calls()
        self.assertTrue(calls and all(c.startswith("ATTNBENCH_CPU=haswell run -c release") for c in calls), calls)
        self.assertTrue(all("--scratch-path %s" % os.path.join(support.REPO, ".build-avx2") in c for c in calls), calls)
        _, rows = read(self.output)
        self.assertEqual([r["kernel"] for r in rows], ["naive", "numpy"])
        self.assertIn("isa avx2: OPENBLAS_CORETYPE=Haswell", rows[1]["note"])

    @unittest.skipUnless(numpy_installed(), "needs numpy")
    def test_a_named_cpu_is_kept_and_native_builds_as_before(self):
        done = self.run_script(["--seq", "2", "--isa", "avx2"], ATTNBENCH_CPU="znver3")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertTrue(self.swift_calls()[-1].startswith("ATTNBENCH_CPU=znver3 "))
        os.remove(self.swift_log)
        done = self.run_script(["--seq", "2"])
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertTrue(all(".build-avx2" not in c and c.startswith("ATTNBENCH_CPU= ") for c in self.swift_calls()))
        _, rows = read(self.output)
        self.assertNotIn("isa", rows[1]["note"])

    def test_bad_value_is_one_line_and_exit_64(self):
        for arguments in (["--isa", "avx512"], ["--isa=sse"], ["--isa"]):
            with self.subTest(arguments=arguments):
                done = self.run_script(arguments)
                self.assertEqual(done.returncode, 64)
                self.assertEqual(len(done.stderr.strip().splitlines()), 1, done.stderr)
                self.assertIn("--isa", done.stderr)
                self.assertFalse(os.path.exists(self.log))


if __name__ == "__main__":
    unittest.main()

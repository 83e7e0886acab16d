"""The peers write attnbench's schema: the column lists against the Swift source, number format, rows."""

import os
import re
import unittest

import support
from attnpeers.records import Record
from attnpeers.schema import COLUMNS, KEY_COLUMNS, SAMPLE_COLUMNS, SCHEMA_VERSION, fmt, line
from attnpeers.shape import Shape

ENV = {"timestamp": "2026-01-01T00:00:00Z", "host": "h", "cpu_model": "C, Inc.", "cores": 2, "numa_nodes": 1,
       "commit": "abc", "load_average": 0.5, "noisy": False}


def swift_sources():
    """(path, text) of the Swift files under Sources/, or [] when this is not a checkout."""
    found = []
    for directory, _, names in os.walk(os.path.join(support.REPO, "Sources")):
        for name in sorted(names):
            if name.endswith(".swift"):
                path = os.path.join(directory, name)
                with open(path, encoding="utf-8") as handle:
                    found.append((path, handle.read()))
    return found


def string_literals(text):
    return re.findall(r'"([^"]*)"', text)


# Issue 22's columns, appended last by contract; attnbench gains them with its --dtype (issue 20). Until its
# Sources have them, the Swift lists are compared without them; once they have one, all must be there.
PENDING_COLUMNS = ["dtype", "kv_dtype", "format_err"]


def without_pending(columns, swift):
    """`columns` less the issue-22 columns when attnbench's list has none of them yet."""
    if any(name in swift for name in PENDING_COLUMNS):
        return columns
    return [c for c in columns if c not in PENDING_COLUMNS]


def is_subsequence(part, whole):
    position = iter(whole)
    return all(any(item == candidate for candidate in position) for item in part)


class SwiftSchemaTests(unittest.TestCase):
    """attnbench may append columns (readers go by name); the peers' columns must keep its order and names."""

    @classmethod
    def setUpClass(cls):
        cls.sources = swift_sources()
        if not cls.sources:
            raise unittest.SkipTest("no Sources/ beside Scripts/peers: not a checkout of attnbench")

    def literal_list(self, name):
        pattern = re.compile(r"static let %s\s*(?::[^=]*)?=\s*\[(.*?)\]" % name, re.S)
        for path, text in self.sources:
            match = pattern.search(text)
            if match and "schema_version" in text:
                return path, string_literals(match.group(1))
        self.fail("no `static let %s = [...]` beside schema_version in Sources/: update tests/test_schema.py" % name)

    def test_columns_are_a_subsequence_of_attnbench_columns(self):
        path, swift = self.literal_list("columns")
        self.assertEqual(COLUMNS[-3:], PENDING_COLUMNS)  # the contract: appended last, in this order
        self.assertTrue(is_subsequence(without_pending(COLUMNS, swift), swift),
                        "%s: attnbench's columns %s no longer contain the peers' %s in order; update attnpeers/schema.py"
                        % (path, swift, COLUMNS))
        self.assertEqual(COLUMNS[0], swift[0])

    def test_key_columns_and_version(self):
        _, swift = self.literal_list("keyColumns")
        self.assertEqual(KEY_COLUMNS[-2:], ["dtype", "kv_dtype"])
        self.assertEqual(swift, without_pending(KEY_COLUMNS, swift))
        self.assertTrue(any(re.search(r"schemaVersion\s*=\s*%d\b" % SCHEMA_VERSION, text) for _, text in self.sources))

    def test_sample_columns(self):
        pattern = re.compile(r"static let sampleColumns\s*=\s*\[(.*?)\]\s*\+\s*keyColumns\s*\+\s*\[(.*?)\]", re.S)
        matches = [pattern.search(text) for _, text in self.sources]
        match = next((m for m in matches if m), None)
        self.assertIsNotNone(match, "sampleColumns not found in Sources/")
        prefix, suffix = (string_literals(group) for group in match.groups())
        self.assertEqual(SAMPLE_COLUMNS[-4:], ["sample", "time_ms", "dtype", "kv_dtype"])
        if "dtype" in suffix:  # attnbench has the formats: its keyColumns end with them, sampleColumns too
            self.assertEqual(prefix + KEY_COLUMNS[:-2] + suffix, SAMPLE_COLUMNS)
        else:
            self.assertEqual(prefix + without_pending(KEY_COLUMNS, suffix) + suffix, without_pending(SAMPLE_COLUMNS, suffix))


class FormatTests(unittest.TestCase):
    def test_number_format(self):
        self.assertEqual([fmt(None), fmt(float("nan")), fmt(float("inf")), fmt(-float("inf"))], ["", "nan", "inf", "-inf"])
        self.assertEqual([fmt(34.359738368), fmt(1.17559e-07), fmt(1), fmt(123456789)],
                         ["34.3597", "1.17559e-07", "1", "1.23457e+08"])

    def test_quoting(self):
        self.assertEqual(line(["a", "b,c", 'd"e', "f\ng"]), 'a,"b,c","d""e","f\ng"')


class RowTests(unittest.TestCase):
    def setUp(self):
        self.record = Record("numpy", "peer-numpy-2.0", Shape(1, 8, 8, 4096, 4096, 64, False), 2, "ok", "BLAS x; y")
        self.record.samples = [100.0, 110.0, 90.0]
        self.record.check = {"max_abs_err": 1e-7, "max_rel_err": 2e-5, "nrms_err": 1e-6, "allowed_abs_err": 1e-4}
        self.record.speedup_vs_1t = 1.5

    def test_row_fields(self):
        row = dict(zip(COLUMNS, self.record.row(ENV, 50.0)))
        self.assertEqual(len(self.record.row(ENV, None)), len(COLUMNS))
        expected = {"kernel": "numpy", "pin": "none", "threads": "2", "causal": "false", "median_ms": "100",
                    "repetitions": "3", "status": "ok", "passed": "true", "gflop": "34.3597", "gflops": "343.597",
                    "peak_gflops": "100", "peak_fraction": "3.43597", "parallel_efficiency": "0.75",
                    "speedup_vs_naive": "", "note": "BLAS x; y", "schema_version": str(SCHEMA_VERSION)}
        self.assertEqual({c: row[c] for c in expected}, expected)

    def test_skipped_row_is_not_passed(self):
        row = Record("torch", "peer-torch", self.record.shape, 1, "skipped", "n").row(ENV, None)
        self.assertEqual(row[COLUMNS.index("passed")], "false")
        self.assertEqual(row[COLUMNS.index("median_ms")], "")

    def test_sample_rows(self):
        samples = self.record.sample_rows(ENV)
        self.assertEqual(len(samples), 3)
        self.assertEqual(len(samples[0]), len(SAMPLE_COLUMNS))
        self.assertEqual(samples[2][-4:], ["2", "90", "f32", "f32"])

    def test_format_columns(self):
        record = Record("ggml", "peer-ggml-0.0.45", Shape(1, 32, 8, 1, 32768, 128, True, "f32", "q8_0"), 1, "ok", "n")
        record.check = {"format_err": 2.5e-4}
        row = dict(zip(COLUMNS, record.row(ENV, None)))
        self.assertEqual((row["dtype"], row["kv_dtype"], row["format_err"]), ("f32", "q8_0", "0.00025"))
        self.assertEqual(COLUMNS[-3:], ["dtype", "kv_dtype", "format_err"])
        self.assertEqual(KEY_COLUMNS[-2:], ["dtype", "kv_dtype"])
        self.assertEqual(str(record.shape), "B1 H32/KV8 Nq1 Nk32768 d128 causal kv:q8_0")
        self.assertEqual(str(Shape(1, 8, 8, 4096, 4096, 64, False, "bf16")), "B1 H8 Nq4096 d64 full bf16")


if __name__ == "__main__":
    unittest.main()

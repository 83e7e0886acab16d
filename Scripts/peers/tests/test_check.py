"""The float64 check: the rows it samples, the reference it computes and the errors it catches."""

import math
import unittest

import support  # noqa: F401 - puts attnpeers on the path
import numpy as np

from attnpeers.check import check_rows, compare, reference_rows
from attnpeers.inputs import make_inputs
from attnpeers.peers import make_peer
from attnpeers.shape import Shape


def direct_attention(shape, q, k, v):
    """Every row of every head in float64, straight from the formula (no shared code with check.py)."""
    out = np.zeros(q.shape)
    for b in range(shape.batch):
        for h in range(shape.heads):
            g = h // shape.group
            for i in range(shape.seq_q):
                visible = shape.visible(i)
                if visible == 0:
                    continue
                s = [shape.scale * float(np.dot(q[b, h, i].astype(np.float64), k[b, g, j].astype(np.float64)))
                     for j in range(visible)]
                w = np.exp(np.array(s) - max(s))
                out[b, h, i] = (w / w.sum()) @ v[b, g, :visible].astype(np.float64)
    return out


class CheckRowsTests(unittest.TestCase):
    def test_rows_printed_by_swift(self):
        self.assertEqual(check_rows(100, 8, 42), [0, 13, 50, 58, 62, 64, 91, 99])
        rows = check_rows(4096, 64, 42)
        self.assertEqual(rows[:10], [0, 8, 22, 51, 190, 215, 259, 597, 838, 916])
        self.assertEqual((len(rows), rows[-1]), (64, 4095))
        self.assertEqual(check_rows(10, 64, 1), list(range(10)))


class ReferenceTests(unittest.TestCase):
    def test_agrees_with_direct_formula_under_gqa_and_dead_rows(self):
        for shape in [Shape(1, 2, 1, 12, 9, 4, True), Shape(1, 4, 2, 3, 11, 4, True), Shape(1, 2, 2, 5, 7, 4, False)]:
            with self.subTest(shape=str(shape)):
                q, k, v = make_inputs(shape, 3)
                expected = direct_attention(shape, q, k, v)
                for h in range(shape.heads):
                    g = h // shape.group
                    r = reference_rows(shape, q[0, h].astype(np.float64), k[0, g].astype(np.float64),
                                       v[0, g].astype(np.float64), list(range(shape.seq_q)))
                    np.testing.assert_allclose(r, expected[0, h], rtol=1e-12, atol=1e-15)

    def test_direct_output_passes(self):
        shape = Shape(1, 8, 2, 4, 40, 8, True)
        q, k, v = make_inputs(shape, 4)
        report = compare(shape, q, k, v, direct_attention(shape, q, k, v).astype(np.float32), 64, 4)
        self.assertTrue(report["passed"], report)
        self.assertEqual(report["rows_checked"], 32)


class CatchesErrorsTests(unittest.TestCase):
    def setUp(self):
        self.shape = Shape(1, 2, 2, 40, 40, 16, True)
        self.q, self.k, self.v = make_inputs(self.shape, 5)
        self.good = make_peer("numpy").prepare(self.shape, self.q, self.k, self.v, 1)().copy()

    def compare(self, out, shape=None, inputs=None, seed=5):
        q, k, v = inputs or (self.q, self.k, self.v)
        return compare(shape or self.shape, q, k, v, out, 64, seed)

    def test_good_output_passes(self):
        report = self.compare(self.good)
        self.assertTrue(report["passed"], report)
        self.assertLess(report["max_abs_err"], report["allowed_abs_err"])
        self.assertEqual(report["rows_checked"], 80)

    def test_small_error_fails(self):
        bad = self.good.copy()
        bad[0, 1, 39, 3] += 1e-3
        report = self.compare(bad)
        self.assertFalse(report["passed"])
        self.assertGreater(report["max_abs_err"], 9e-4)

    def test_nan_is_a_mismatch(self):
        bad = self.good.copy()
        bad[0, 0, 0, 0] = np.nan
        report = self.compare(bad)
        self.assertFalse(report["passed"])
        self.assertEqual(report["mismatches"], 1)

    def test_top_left_mask_fails_when_nq_differs_from_nk(self):
        shape = Shape(1, 1, 1, 8, 24, 8, True)
        q, k, v = make_inputs(shape, 9)
        out = np.zeros_like(q)
        for i in range(8):
            s = (q[0, 0, i].astype(np.float64) @ k[0, 0, :i + 1].T.astype(np.float64)) * shape.scale
            w = np.exp(s - s.max())
            out[0, 0, i] = (w / w.sum()) @ v[0, 0, :i + 1]
        self.assertFalse(self.compare(out, shape, (q, k, v), 9)["passed"])

    def test_wrong_kv_head_fails(self):
        # Query head h must read KV head h // group, not h % Hkv: the interleaved mapping must fail.
        shape = Shape(1, 4, 2, 6, 10, 8, False)
        q, k, v = make_inputs(shape, 2)
        right = direct_attention(shape, q, k, v)
        swapped = right.copy()
        swapped[0, 1], swapped[0, 2] = right[0, 2], right[0, 1]
        self.assertTrue(self.compare(right.astype(np.float32), shape, (q, k, v), 2)["passed"])
        self.assertFalse(self.compare(swapped.astype(np.float32), shape, (q, k, v), 2)["passed"])


class ToleranceTests(unittest.TestCase):
    def test_formula(self):
        shape = Shape(1, 1, 1, 4, 4, 2, False)
        q = np.array([[[[1, 0], [0, 0.5], [0, 0], [0, 0]]]], dtype=np.float32)
        k = np.array([[[[0.5, 0.5], [0, 1], [0, 0], [0, 0]]]], dtype=np.float32)
        v = np.array([[[[0.25, -0.75], [0, 0], [0, 0], [0, 0]]]], dtype=np.float32)
        report = compare(shape, q, k, v, np.zeros_like(q), 64, 1)
        kappa = shape.scale * 1.0 * 1.0  # max |q_i| = 1, max |k_j| = 1
        expected = 64 * 2.0 ** -23 * (kappa + math.log2(4) + 1) * 0.75
        self.assertAlmostEqual(report["allowed_abs_err"], expected, delta=1e-18)


if __name__ == "__main__":
    unittest.main()

"""Every peer passes the float64 check on awkward shapes (GQA, MQA, decode, Nq ≠ Nk, dead rows) at one and
two threads, twice in a row. The onnxruntime and torch tests skip where those are not installed."""

import unittest

import support
import numpy as np

from attnpeers.check import compare
from attnpeers.inputs import make_inputs


class PeerContract:
    """Mixed into one TestCase per peer; `name` and `options` pick the peer."""

    name = None
    options = {}

    def setUp(self):
        self.peer = support.peer_or_skip(self, self.name, **self.options)

    def check(self, shape, threads, seed=11):
        q, k, v = make_inputs(shape, seed)
        self.peer.set_threads(threads)
        runner = self.peer.prepare(shape, q, k, v, threads)
        for attempt in ("first run", "second run"):
            out = runner().copy()
            self.assertEqual(out.shape, q.shape)
            report = compare(shape, q, k, v, out, 64, seed)
            self.assertTrue(report["passed"], (self.name, str(shape), attempt, report, self.peer.note))
            if shape.dead_rows:
                self.assertFalse(out[:, :, :shape.dead_rows].any())

    def note_for(self, index):
        """The peer's note after preparing support.AWKWARD[index]."""
        shape = support.AWKWARD[index]
        self.peer.prepare(shape, *make_inputs(shape, 1), 1)
        return self.peer.note

    def test_awkward_shapes(self):
        for shape in support.AWKWARD:
            if self.peer.unsupported(shape, 1):
                continue
            for threads in (1, 2):
                with self.subTest(shape=str(shape), threads=threads):
                    self.check(shape, threads)


class NumpyPeerTests(PeerContract, unittest.TestCase):
    name = "numpy"

    def test_note_says_per_head(self):
        self.assertIn("per-head sgemm", self.note_for(6))


class NumpyGqaPeerTests(PeerContract, unittest.TestCase):
    name = "numpy-gqa"

    def test_stacks_the_group_and_declines_multi_head(self):
        note = self.note_for(7)  # MQA: all 8 query heads in one product
        self.assertIn("the 8 query heads of a KV head stacked", note)
        self.assertIn("masked scores", note)
        self.assertIsNotNone(self.peer.unsupported(support.AWKWARD[8], 1))

    def test_same_output_as_per_head(self):
        shape = support.AWKWARD[2]
        q, k, v = make_inputs(shape, 3)
        per_head = support.peer_or_skip(self, "numpy").prepare(shape, q, k, v, 1)().copy()
        stacked = self.peer.prepare(shape, q, k, v, 1)()
        np.testing.assert_allclose(stacked, per_head, rtol=1e-5, atol=1e-6)


class OnnxRuntimeAttentionTests(PeerContract, unittest.TestCase):
    name = "onnxruntime"
    options = {"ort_op": "attention"}

    def test_uses_kv_num_heads_and_the_right_mask(self):
        notes = {index: self.note_for(index) for index in (2, 6, 8)}
        self.assertIn("GQA via kv_num_heads", notes[2])
        self.assertIn("bool mask input", notes[2])
        self.assertNotIn("mask", notes[6].replace("no spinning", ""))  # one-row decode: nothing hidden
        self.assertIn("bool mask input", notes[8])


class OnnxRuntimeMatMulTests(PeerContract, unittest.TestCase):
    name = "onnxruntime"
    options = {"ort_op": "matmul"}


class OnnxRuntimeGqaTests(PeerContract, unittest.TestCase):
    name = "onnxruntime-gqa"

    def test_declines_what_the_op_cannot_do(self):
        self.assertIn("causal only", self.peer.unsupported(support.AWKWARD[0], 1))
        self.assertIn("Nq <= Nk", self.peer.unsupported(support.AWKWARD[3], 1))
        self.assertIsNone(self.peer.unsupported(support.AWKWARD[7], 1))

    def test_leaves_the_inputs_alone(self):
        shape = support.AWKWARD[7]
        q, k, v = make_inputs(shape, 2)
        copies = [x.copy() for x in (q, k, v)]
        runner = self.peer.prepare(shape, q, k, v, 1)
        runner()
        runner()
        for before, after in zip(copies, (q, k, v)):
            self.assertTrue(np.array_equal(before, after))


class TorchPeerTests(PeerContract, unittest.TestCase):
    name = "torch"

    def test_gqa_without_copies_and_lower_right_mask(self):
        note = self.note_for(7)
        self.assertIn("enable_gqa", note)
        self.assertIn("causal_lower_right", note)


if __name__ == "__main__":
    unittest.main()

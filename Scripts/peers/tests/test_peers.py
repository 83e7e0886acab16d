"""Every peer passes the float64 check on awkward shapes (GQA, MQA, decode, Nq ≠ Nk, dead rows) at one and
two threads, twice in a row, in every format it runs; a format it cannot run is declined with a reason. The
onnxruntime, torch and ggml tests skip where those are not installed."""

import unittest

import support
import numpy as np

from attnpeers.check import compare
from attnpeers.formats import stored_inputs
from attnpeers.inputs import make_inputs

FORMAT_PAIRS = [("f32", "f32"), ("f32", "f16"), ("f32", "bf16"), ("f32", "q8_0"), ("f16", "f16"), ("bf16", "bf16"),
                ("bf16", "q8_0")]


class PeerContract:
    """Mixed into one TestCase per peer; `name` and `options` pick the peer."""

    name = None
    options = {}
    formats = [("f32", "f32")]  # (dtype, kv_dtype) pairs the peer runs; the others it must decline

    def setUp(self):
        self.peer = support.peer_or_skip(self, self.name, **self.options)

    def check(self, shape, threads, seed=11):
        exact = make_inputs(shape, seed)
        q, k, v = stored_inputs(shape, *exact)
        self.peer.set_threads(threads)
        runner = self.peer.prepare(shape, q, k, v, threads)
        tolerance = self.peer.tolerance(shape) if hasattr(self.peer, "tolerance") else None
        for attempt in ("first run", "second run"):
            out = runner().copy()
            self.assertEqual(out.shape, q.shape)
            self.assertEqual(out.dtype, np.float32)
            report = compare(shape, q, k, v, out, 64, seed, exact=exact, tolerance=tolerance)
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

    def test_formats(self):
        """Each format the peer runs passes on awkward shapes; any other is declined with a reason (by
        `unsupported`, or by `prepare` where the peer's library is asked first), never run in another format."""
        from attnpeers.peers import PeerUnavailable

        ran = set()
        for dtype, kv_dtype in FORMAT_PAIRS:
            for index in (2, 3, 7, 9):
                shape = support.AWKWARD[index].with_formats(dtype, kv_dtype)
                with self.subTest(shape=str(shape)):
                    why = self.peer.unsupported(shape, 1)
                    if why:
                        self.assertTrue(why.strip())
                        continue
                    if (dtype, kv_dtype) not in self.formats:
                        q, k, v = stored_inputs(shape, *make_inputs(shape, 1))
                        with self.assertRaises(PeerUnavailable) as caught:
                            self.peer.prepare(shape, q, k, v, 1)
                        self.assertTrue(str(caught.exception).strip())
                        continue
                    self.check(shape, 1)
                    ran.add((dtype, kv_dtype))
        self.assertEqual(ran, set(self.formats))


class NumpyPeerTests(PeerContract, unittest.TestCase):
    name = "numpy"
    formats = FORMAT_PAIRS

    def test_q8_0_with_a_partial_block(self):
        shape = support.AWKWARD[9].with_formats("f32", "q8_0")
        self.check(shape.__class__(1, 4, 2, 6, 20, 40, True, "f16", "q8_0"), 1)  # d = 40: blocks of 32 and 8
        self.assertIn("K/V q8_0 converted to float32 inside the timed call", self.note_for_shape(shape))

    def note_for_shape(self, shape):
        q, k, v = stored_inputs(shape, *make_inputs(shape, 1))
        self.peer.prepare(shape, q, k, v, 1)
        return self.peer.note

    def test_note_says_per_head(self):
        self.assertIn("per-head sgemm", self.note_for(6))


class NumpyGqaPeerTests(PeerContract, unittest.TestCase):
    name = "numpy-gqa"
    formats = FORMAT_PAIRS

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


ORT_FORMATS = [("f32", "f32"), ("f16", "f16")]


class OnnxRuntimeAttentionTests(PeerContract, unittest.TestCase):
    name = "onnxruntime"
    options = {"ort_op": "attention"}
    formats = ORT_FORMATS

    def test_bf16_is_tried_and_skipped_with_the_reason(self):
        from attnpeers.peers import PeerUnavailable
        shape = support.AWKWARD[2].with_formats("bf16")
        self.assertIsNone(self.peer.unsupported(shape, 1))  # tried: ONNX Runtime decides
        q, k, v = stored_inputs(shape, *make_inputs(shape, 1))
        try:
            self.peer.prepare(shape, q, k, v, 1)
        except PeerUnavailable as error:
            self.assertIn("NOT_IMPLEMENTED", str(error))
        else:  # an ONNX Runtime that runs bf16 on the CPU: then it must pass the check
            self.check(shape, 1)

    def test_uses_kv_num_heads_and_the_right_mask(self):
        notes = {index: self.note_for(index) for index in (2, 6, 8)}
        self.assertIn("GQA via kv_num_heads", notes[2])
        self.assertIn("bool mask input", notes[2])
        self.assertNotIn("mask", notes[6].replace("no spinning", ""))  # one-row decode: nothing hidden
        self.assertIn("bool mask input", notes[8])


class OnnxRuntimeMatMulTests(PeerContract, unittest.TestCase):
    name = "onnxruntime"
    options = {"ort_op": "matmul"}
    formats = ORT_FORMATS


class OnnxRuntimeGqaTests(PeerContract, unittest.TestCase):
    name = "onnxruntime-gqa"
    formats = ORT_FORMATS

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
    formats = [("f32", "f32"), ("f16", "f16"), ("bf16", "bf16")]

    def test_mixed_formats_are_declined(self):
        self.assertIn("one dtype", self.peer.unsupported(support.AWKWARD[2].with_formats("f32", "bf16"), 1))
        self.assertIn("q8_0", self.peer.unsupported(support.AWKWARD[2].with_formats("bf16", "q8_0"), 1))

    def test_gqa_without_copies_and_lower_right_mask(self):
        note = self.note_for(7)
        self.assertIn("enable_gqa", note)
        self.assertIn("causal_lower_right", note)


class GgmlPeerTests(PeerContract, unittest.TestCase):
    name = "ggml"
    formats = FORMAT_PAIRS

    def test_layout_and_mask_on_small_shapes(self):
        # causal Nq < Nk (GQA, batch 2), causal Nq > Nk (MQA, dead rows), decode with a mask, batch-2 decode:
        # fp32 K/V, so the error is fp32 arithmetic's: a wrong head, row or mask alignment would be far off.
        for index in (2, 3, 7, 10):
            shape = support.AWKWARD[index].with_formats("f32")
            q, k, v = make_inputs(shape, 5)
            out = self.peer.prepare(shape, q, k, v, 2)()
            report = compare(shape, q, k, v, out, 64, 5)
            self.assertTrue(report["passed"], (str(shape), report))
            self.assertLess(report["max_abs_err"], 1e-5)

    def test_wrong_alignment_would_fail(self):
        # The check can see a top-left mask: the same run against a shape whose mask is aligned differently.
        shape = support.AWKWARD[2]
        q, k, v = make_inputs(shape, 5)
        out = self.peer.prepare(shape, q, k, v, 1)()
        full = shape.__class__(*shape.geometry()[:6], False)
        self.assertFalse(compare(full, q, k, v, out, 64, 5)["passed"])

    def test_mask_is_padded_f16(self):
        shape = support.AWKWARD[2]  # 20 live rows, 45 keys, offset 25
        mask = self.peer.mask(shape).view(np.float16)
        self.assertEqual(mask.shape, (32, 45))
        self.assertTrue(np.isneginf(mask[20:]).all())  # padding rows
        self.assertEqual(mask[0, 25], 0)
        self.assertTrue(np.isneginf(mask[0, 26]))
        self.assertTrue((mask[19] == 0).all())  # the last row sees every key

    def test_q8_0_needs_blocks_of_32(self):
        self.assertIn("% 32", self.peer.unsupported(support.AWKWARD[2].with_formats("f32", "q8_0"), 1))  # d = 8
        self.assertIsNone(self.peer.unsupported(support.AWKWARD[9].with_formats("f32", "q8_0"), 1))  # d = 128

    def test_note_says_what_ran(self):
        shape = support.AWKWARD[6].with_formats("f32", "f16")
        q, k, v = stored_inputs(shape, *make_inputs(shape, 1))
        self.peer.prepare(shape, q, k, v, 2)
        self.assertIn("rounds Q to f16", self.peer.note)
        self.assertIn("n_threads=2", self.peer.note)
        self.assertIn("ggml-python %s" % self.peer.version, self.peer.note)


if __name__ == "__main__":
    unittest.main()

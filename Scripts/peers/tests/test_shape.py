"""Shapes: the cost model, the causal mask's live rows and the CSV round trip."""

import unittest

import support  # noqa: F401 - puts attnpeers on the path
import numpy as np

from attnpeers.shape import Shape, flops, visible_pairs


class CostModelTests(unittest.TestCase):
    def test_closed_form_matches_brute_force(self):
        for seq_q in [1, 2, 7, 64]:
            for seq_kv in [1, 3, 7, 64, 100]:
                for causal in (False, True):
                    shape = Shape(2, 3, 1, seq_q, seq_kv, 16, causal)
                    brute = sum(shape.visible(i) for i in range(seq_q))
                    self.assertEqual(visible_pairs(shape), brute, str(shape))
                    self.assertEqual(flops(shape), 2 * 3 * brute * 4 * 16)
        self.assertEqual(visible_pairs(Shape(1, 1, 1, 4096, 4096, 64, True)), 4096 * 4097 // 2)

    def test_decode_step_counts_every_key(self):
        shape = Shape(1, 32, 8, 1, 32768, 128, True)
        self.assertEqual(flops(shape), 32 * 32768 * 4 * 128)


class ScaleTests(unittest.TestCase):
    def test_scale_is_the_float32_computation(self):
        for head_dim in list(range(1, 1025)) + [4095, 65537, 1 << 24]:
            expected = float(np.float32(1) / np.sqrt(np.float32(head_dim)))
            self.assertEqual(Shape(1, 1, 1, 1, 1, head_dim, False).scale, expected, head_dim)


class MaskTests(unittest.TestCase):
    def brute_hidden(self, shape):
        rows = range(shape.dead_rows, shape.seq_q)
        return np.array([[j >= shape.visible(i) for j in range(shape.seq_kv)] for i in rows], dtype=bool)

    def test_hidden_keys_are_the_complement_of_visible(self):
        for shape in [Shape(1, 1, 1, 5, 5, 1, True), Shape(1, 1, 1, 4, 9, 1, True), Shape(1, 1, 1, 9, 4, 1, True),
                      Shape(1, 1, 1, 1, 7, 1, True)]:
            with self.subTest(shape=str(shape)):
                self.assertTrue(np.array_equal(shape.hidden_keys(), self.brute_hidden(shape)))
                self.assertEqual(shape.masked, bool(self.brute_hidden(shape).any()))

    def test_live_rows(self):
        shape = Shape(1, 2, 1, 50, 30, 8, True)
        self.assertEqual((shape.dead_rows, shape.live_rows, shape.live_offset), (20, 30, 0))
        self.assertEqual(Shape(1, 2, 1, 50, 30, 8, False).dead_rows, 0)

    def test_one_row_decode_needs_no_mask_but_four_rows_do(self):
        self.assertFalse(Shape(1, 32, 8, 1, 4096, 128, True).masked)
        self.assertTrue(Shape(1, 32, 8, 4, 4096, 128, True).masked)
        self.assertFalse(Shape(1, 32, 8, 4, 4096, 128, False).masked)


class FieldsTests(unittest.TestCase):
    def test_round_trip_and_text(self):
        shape = Shape(2, 32, 8, 4, 65536, 128, True)
        self.assertEqual(Shape.from_fields(shape.fields()), shape)
        self.assertEqual(shape.fields()["causal"], "true")
        self.assertEqual(str(shape), "B2 H32/KV8 Nq4 Nk65536 d128 causal")
        self.assertEqual(str(Shape(1, 8, 8, 64, 64, 64, False)), "B1 H8 Nq64 d64 full")

    def test_malformed_fields_are_refused(self):
        fields = Shape(1, 2, 2, 3, 3, 4, False).fields()
        for column, value in [("seq_q", "x"), ("causal", "yes")]:
            broken = dict(fields, **{column: value})
            with self.assertRaises(ValueError):
                Shape.from_fields(broken)


if __name__ == "__main__":
    unittest.main()

"""The generator reproduces attnbench's inputs bit for bit."""

import unittest

import support  # noqa: F401 - puts attnpeers on the path
import numpy as np

from attnpeers.inputs import make_inputs
from attnpeers.shape import Shape
from attnpeers.splitmix import GAMMA, MASK64, SplitMix64, signed_unit_floats, splitmix64_outputs


def float_bits(values):
    return ["%08x" % int(b) for b in np.asarray(values, dtype=np.float32).view(np.uint32)]


class SplitMix64Tests(unittest.TestCase):
    def test_published_known_answer(self):
        # Published SplitMix64 test vector (seed 1234567), also printed by the Swift implementation.
        generator = SplitMix64(1234567)
        self.assertEqual([generator.next() for _ in range(5)], [
            6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821])

    def test_vectorised_matches_scalar_including_wrap_around(self):
        for seed in [0, 42, 7, MASK64, MASK64 - GAMMA + 3, 0x0123456789ABCDEF]:
            with self.subTest(seed=seed):
                scalar = SplitMix64(seed)
                expected = [scalar.next() for _ in range(300)]
                self.assertEqual([int(x) for x in splitmix64_outputs(seed, 0, 300)], expected)
                self.assertEqual([int(x) for x in splitmix64_outputs(seed, 123, 50)], expected[123:173])
                scalar = SplitMix64(seed)
                floats = [scalar.next_signed_unit_float() for _ in range(300)]
                got = signed_unit_floats(seed, 0, 300, chunk=64)  # several chunks
                self.assertEqual([float(x) for x in got], floats)
                self.assertTrue(all(-1.0 <= f < 1.0 for f in floats))


class InputTests(unittest.TestCase):
    def test_bit_patterns_printed_by_swift(self):
        # Printed by `SplitMix64(seed:).nextSignedUnitFloat()` compiled from Sources/AttentionCore/SplitMix64.swift.
        q, _, _ = make_inputs(Shape(1, 1, 1, 8, 8, 1, False), 42)
        self.assertEqual(float_bits(q.ravel()), ["3ef75cc8", "bf2e203a", "bee2b664", "be9f8c7c",
                                                 "bf6c8750", "3f3c8862", "bf102d32", "3f19ec6a"])
        # B1 H2 N16 d8, seed 7: Q is elements 0..255, K 256..511, V 512..767 of one stream.
        q, k, v = make_inputs(Shape(1, 2, 2, 16, 16, 8, False), 7)
        picked = [q.ravel()[255], k.ravel()[0], k.ravel()[255], v.ravel()[0], v.ravel()[255]]
        self.assertEqual(float_bits(picked), ["bf30a360", "bebb44cc", "3cff46c0", "beffca1c", "3e973794"])
        self.assertEqual({q.dtype.name, k.dtype.name, v.dtype.name}, {"float32"})

    def test_gqa_layout(self):
        shape = Shape(2, 8, 2, 3, 5, 4, True)
        q, k, v = make_inputs(shape, 1)
        self.assertEqual((q.shape, k.shape, v.shape), ((2, 8, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4)))
        stream = signed_unit_floats(1, 0, shape.query_elements + 2 * shape.key_elements)
        self.assertTrue(np.array_equal(np.concatenate([q.ravel(), k.ravel(), v.ravel()]), stream))


if __name__ == "__main__":
    unittest.main()

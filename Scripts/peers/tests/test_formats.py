"""The formats' rounding and block quantisation against known bit patterns and ggml's contract."""

import math
import unittest

import support  # noqa: F401 - puts attnpeers on the path
import numpy as np

from attnpeers import formats
from attnpeers.check import Tolerance, compare
from attnpeers.inputs import make_inputs
from attnpeers.shape import Shape


def f32(bits):
    return np.array(bits, dtype=np.uint32).view(np.float32)


class FloatFormatTests(unittest.TestCase):
    def test_f16_round_to_nearest_even(self):
        values = [1.0, -2.0, 65504.0, 1.0 + 2 ** -11, 1.0 + 3 * 2 ** -11, 1.0 + 2 ** -11 + 2 ** -20, 2 ** -24,
                  1e6, 0.1]
        expected = [0x3C00, 0xC000, 0x7BFF, 0x3C00, 0x3C02, 0x3C01, 0x0001, 0x7C00, 0x2E66]
        self.assertEqual(formats.f16_bits(np.array(values, dtype=np.float32)).tolist(), expected)
        self.assertEqual(formats.f16_decode(np.array([0x3C01], dtype=np.uint16)).tolist(), [1.0 + 2 ** -10])

    def test_bf16_round_to_nearest_even_and_quiet_nan(self):
        bits = [0x3F800000, 0x3F808000, 0x3F818000, 0x3F808001, 0xBF7FFFFF, 0x7F7FFFFF, 0x3DCCCCCD,
                0x7F800001, 0xFFC00000, 0x7F800000]
        # 1.0; a tie to even (down); a tie to even (up); just above the tie; rounds up across the exponent;
        # the largest float rounds to inf; 0.1; a signalling NaN comes back quiet; a quiet one stays; inf.
        expected = [0x3F80, 0x3F80, 0x3F82, 0x3F81, 0xBF80, 0x7F80, 0x3DCD, 0x7FC0, 0xFFC0, 0x7F80]
        self.assertEqual(formats.bf16_bits(f32(bits)).tolist(), expected)
        self.assertEqual(formats.bf16_decode(np.array([0x3F81], dtype=np.uint16)).tolist(), [1.0078125])

    def test_round_trip_is_idempotent(self):
        x = make_inputs(Shape(1, 2, 2, 8, 8, 40, False), 5)[1]
        for fmt in formats.KV_FORMATS:
            with self.subTest(fmt=fmt):
                once = formats.round_trip(x, fmt)
                self.assertTrue(np.array_equal(formats.round_trip(once, fmt), once))
                self.assertEqual(once.dtype, np.float32)


class Q8Tests(unittest.TestCase):
    def test_block_scale_and_rounding(self):
        x = np.zeros(32, dtype=np.float32)
        x[:5] = [1.27, -0.635, 0.005, 0.015, -0.005]
        blocks = formats.q8_0_encode(x)
        scale = np.float32(1.27) / np.float32(127)
        self.assertEqual(blocks.scales.tolist(), [formats.f16_bits(scale).item()])
        # x·(1/d) = 127, −63.5 (half away from zero: −64), 0.5 (→ 1), 1.5 (→ 2), −0.5 (→ −1)
        self.assertEqual(blocks.qs[0, :5].tolist(), [127, -64, 1, 2, -1])
        decoded = formats.q8_0_decode(blocks)
        d16 = float(formats.f16_decode(blocks.scales)[0])
        self.assertEqual(decoded[:5].tolist(), [np.float32(q * d16) for q in (127, -64, 1, 2, -1)])

    def test_zero_block_and_partial_block(self):
        x = np.zeros((2, 40), dtype=np.float32)
        x[0, 32:] = np.arange(1, 9, dtype=np.float32) / 8  # a partial block of 8 values
        blocks = formats.q8_0_encode(x)
        self.assertEqual(blocks.qs.shape, (2, 2, 32))
        self.assertEqual(blocks.scales[0, 0], 0)  # all zero: scale 0
        self.assertEqual(blocks.scales[1].tolist(), [0, 0])
        self.assertEqual(blocks.qs[0, 1, :8].tolist(), [16, 32, 48, 64, 79, 95, 111, 127])
        self.assertFalse(blocks.qs[0, 1, 8:].any())  # padded with zeros
        self.assertEqual(formats.q8_0_decode(blocks).shape, (2, 40))
        self.assertEqual(blocks.block_bytes().shape, (2, 2 * 34))

    def test_non_finite_block_decodes_to_nan(self):
        x = np.linspace(-1, 1, 64, dtype=np.float32)
        x[40] = np.inf
        x[3] = np.nan
        decoded = formats.q8_0_decode(formats.q8_0_encode(x))
        self.assertTrue(np.isnan(decoded).all())
        y = x.copy()
        y[3] = 0.5
        decoded = formats.q8_0_decode(formats.q8_0_encode(y))
        self.assertTrue(np.isfinite(decoded[:32]).all())
        self.assertTrue(np.isnan(decoded[32:]).all())  # only the block with inf

    def test_block_bytes_are_ggml_layout(self):
        blocks = formats.q8_0_encode(np.full(32, 0.5, dtype=np.float32))
        raw = blocks.block_bytes()
        self.assertEqual(raw.shape, (34,))
        self.assertEqual(int(raw[0]) | int(raw[1]) << 8, formats.f16_bits(np.float32(0.5) / np.float32(127)).item())
        self.assertEqual(raw[2:].view(np.int8).tolist(), [127] * 32)

    def test_matches_ggml_quantiser(self):
        try:
            import ggml
            import ctypes
        except (ImportError, OSError) as error:
            self.skipTest("ggml-python not installed: %s" % error)
        x = make_inputs(Shape(1, 1, 1, 4, 4, 64, False), 9)[0].reshape(-1).copy()
        x[5] = 0.0
        x[64:96] = 0.0  # a zero block
        dst = np.zeros(x.size // 32 * 34, dtype=np.uint8)
        ggml.ggml_quantize_chunk(ggml.GGML_TYPE_Q8_0, x.ctypes.data_as(ctypes.POINTER(ctypes.c_float)),
                                 ctypes.c_void_p(dst.ctypes.data), 0, x.size // 64, 64, None)
        self.assertTrue(np.array_equal(formats.q8_0_encode(x.reshape(-1, 64)).block_bytes().reshape(-1), dst))
        for fmt, convert, kind in [("f16", ggml.ggml_fp32_to_fp16_row, ggml.ggml_fp16_t),
                                   ("bf16", ggml.ggml_fp32_to_bf16_row_ref, ggml.ggml_bf16_t)]:
            out = np.zeros(x.size, dtype=np.uint16)
            convert(x.ctypes.data_as(ctypes.POINTER(ctypes.c_float)), out.ctypes.data_as(ctypes.POINTER(kind)),
                    x.size)
            self.assertTrue(np.array_equal(formats.encode(x, fmt), out), fmt)


class FormatCheckTests(unittest.TestCase):
    def test_output_rounding_widens_the_bound_and_format_err_is_reported(self):
        shape = Shape(1, 2, 2, 8, 8, 16, False, "bf16")
        exact = make_inputs(shape, 4)
        q, k, v = formats.stored_inputs(shape, *exact)
        from attnpeers.check import reference_rows
        o = np.stack([[reference_rows(shape, q[0, h].astype(np.float64), k[0, h].astype(np.float64),
                                      v[0, h].astype(np.float64), list(range(8))) for h in range(2)]])
        o = formats.round_trip(o.astype(np.float32), "bf16")
        report = compare(shape, q, k, v, o, 64, 1, exact=exact)
        f32_report = compare(shape.with_formats("f32"), q, k, v, o, 64, 1)
        self.assertTrue(report["passed"], report)
        self.assertFalse(f32_report["passed"])  # bf16 rounding of O is more than fp32 arithmetic allows
        self.assertAlmostEqual(report["allowed_abs_err"] - f32_report["allowed_abs_err"],
                               2 ** -8 * float(np.abs(v).max()), delta=1e-12)
        self.assertGreater(report["format_err"], report["max_abs_err"])  # K/V/Q rounding costs more

    def test_query_rounding_term(self):
        shape = Shape(1, 1, 1, 4, 4, 64, False, "f32", "f16")
        q, k, v = formats.stored_inputs(shape, *make_inputs(shape, 6))
        o = np.zeros_like(q)
        plain = compare(shape, q, k, v, o, 64, 1)["allowed_abs_err"]
        rounded = compare(shape, q, k, v, o, 64, 1, tolerance=Tolerance("f32", query_format="f16"))["allowed_abs_err"]
        moved = np.sqrt(((q[0, 0].astype(np.float64) - formats.round_trip(q[0, 0], "f16")) ** 2).sum(axis=1)).max()
        norm_k = np.sqrt((k[0, 0].astype(np.float64) ** 2).sum(axis=1)).max()
        self.assertAlmostEqual(rounded - plain, math.expm1(2 * shape.scale * moved * norm_k) * float(np.abs(v).max()),
                               delta=1e-12)


if __name__ == "__main__":
    unittest.main()

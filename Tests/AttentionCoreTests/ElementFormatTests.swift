import XCTest
import AttentionCore

/// Each format's rounding and decoding against known bit patterns, q8_0 blocks, and the formats in shapes,
/// tensors, the cost model and the check.
final class ElementFormatTests: XCTestCase {
    func testRawValuesAndRowBytes() {
        XCTAssertEqual(ElementFormat.allCases.map(\.rawValue), ["f32", "f16", "bf16", "q8_0"])
        XCTAssertEqual(ElementFormat.f32.rowBytes(5), 20)
        XCTAssertEqual(ElementFormat.f16.rowBytes(5), 10)
        XCTAssertEqual(ElementFormat.bf16.rowBytes(128), 256)
        XCTAssertEqual(ElementFormat.q8_0.rowBytes(32), 34)
        XCTAssertEqual(ElementFormat.q8_0.rowBytes(128), 136)
        XCTAssertEqual(ElementFormat.q8_0.rowBytes(40), 68, "a partial block is stored whole")
        XCTAssertEqual(ElementFormat.q8_0.rowBytes(1), 34)
        XCTAssertNil(ElementFormat.q8_0.checkedRowBytes(Int.max))
    }

    func testFloat16KnownPatterns() {
        let cases: [(Float, UInt16)] = [
            (1, 0x3C00), (-2, 0xC000), (0, 0x0000), (-0.0, 0x8000), (0.1, 0x2E66), (65504, 0x7BFF),
            (0x1p-24, 0x0001), (1023 * 0x1p-24, 0x03FF), (0x1p-14, 0x0400),
            (0x1p-25, 0x0000),                 // tie between 0 and the smallest subnormal: even (0)
            (3 * 0x1p-25, 0x0002),             // tie between 1 and 2 subnormal units: even (2)
            (1 + 0x1p-11, 0x3C00),             // tie between 1 and 1 + 2⁻¹⁰: even
            (1 + 3 * 0x1p-11, 0x3C02),         // tie between 0x3C01 and 0x3C02: even
            (1 + 0x1p-11 + 0x1p-20, 0x3C01),   // just above the tie
            (65519, 0x7BFF), (65520, 0x7BFF), (70000, 0x7BFF), (-1e10, 0xFBFF), (.greatestFiniteMagnitude, 0x7BFF),
            (.infinity, 0x7C00), (-.infinity, 0xFC00),
        ]
        for (value, bits) in cases {
            XCTAssertEqual(Float16Bits.encode(value), bits, "\(value)")
        }
        XCTAssertEqual(Float16Bits.decode(0x7BFF), 65504)
        XCTAssertEqual(Float16Bits.decode(0x0001), 0x1p-24)
        XCTAssertEqual(Float16Bits.decode(0x8000).bitPattern, (-0.0 as Float).bitPattern)
        XCTAssertEqual(Float16Bits.decode(0xFC00), -.infinity)
        XCTAssertTrue(Float16Bits.decode(0x7E00).isNaN)
        XCTAssertTrue(Float16Bits.decode(0x7C01).isNaN, "a signalling NaN stays NaN")
        XCTAssertEqual(Float16Bits.decode(0x7C01).bitPattern & 0x40_0000, 0x40_0000, "and comes back quiet")
        XCTAssertEqual(Float16Bits.encode(.nan) & 0x7E00, 0x7E00, "NaN stays a quiet NaN")
        XCTAssertEqual(Float16Bits.encode(Float(bitPattern: 0x7F80_0001)) & 0x7E00, 0x7E00, "signalling NaN quieted")
    }

    /// The hardware conversion the kernels use and the integer decoder agree on every f16.
    func testEveryFloat16DecodesTheSameWayInHardwareAndInIntegers() {
        for bits in 0...UInt16.max {
            let integer = Float16Bits.decode(bits), hardware = halfToFloat(bits)
            if integer.isNaN {
                XCTAssertTrue(hardware.isNaN, "\(bits)")
            } else {
                XCTAssertEqual(integer.bitPattern, hardware.bitPattern, "\(bits)")
                XCTAssertEqual(Float16Bits.encode(integer), bits, "round trip \(bits)")
            }
        }
    }

    /// Inside the finite range, encoding is IEEE round-to-nearest-even (Swift's own Float16 conversion).
    func testFloat16EncodingMatchesIEEEInRange() {
        var generator = SplitMix64(seed: 12)
        for _ in 0..<20000 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))
            guard value.isFinite, abs(value) < 65504 else { continue }
            XCTAssertEqual(Float16Bits.encode(value), Float16(value).bitPattern, "\(value)")
        }
    }

    func testBFloat16KnownPatterns() {
        let cases: [(UInt32, UInt16)] = [
            (0x3F80_0000, 0x3F80),   // 1
            (0x3F80_8000, 0x3F80),   // tie, even stays
            (0x3F81_8000, 0x3F82),   // tie, odd rounds up
            (0x3F80_8001, 0x3F81),   // above the tie
            (0x3F80_7FFF, 0x3F80),   // below the tie
            (0xBF81_8000, 0xBF82),   // negative tie to even
            (0x7F80_0000, 0x7F80),   // +∞
            (0xFF80_0000, 0xFF80),   // −∞
            (0x7F7F_FFFF, 0x7F7F),   // largest finite binary32: saturated, not rounded to ∞
            (0xFF7F_FFFF, 0xFF7F),
            (0x0000_0001, 0x0000),   // smallest subnormal rounds to zero
        ]
        for (bits, expected) in cases {
            XCTAssertEqual(BFloat16Bits.encode(Float(bitPattern: bits)), expected, String(bits, radix: 16))
        }
        XCTAssertEqual(BFloat16Bits.encode(Float(bitPattern: 0x7F80_0001)), 0x7FC0, "signalling NaN quieted")
        XCTAssertEqual(BFloat16Bits.encode(Float(bitPattern: 0xFFC1_0000)), 0xFFC1, "quiet NaN kept")
        XCTAssertEqual(BFloat16Bits.decode(0x3F80), 1)
        XCTAssertEqual(BFloat16Bits.decode(0xC0A0), -5)
        XCTAssertTrue(BFloat16Bits.decode(0x7FC0).isNaN)
    }

    func testQ8BlockQuantisesAsGGMLDoes() {
        var values = [Float](repeating: 0, count: 32)
        values[0] = 1; values[1] = -2; values[2] = 0.5; values[3] = 0.01; values[31] = -0.999
        var block = [UInt8](repeating: 0xAA, count: 34)
        block.withUnsafeMutableBytes { Q8Block.quantize(values, count: 32, into: $0.baseAddress!) }
        let scale = UInt16(block[0]) | UInt16(block[1]) << 8
        XCTAssertEqual(scale, Float16Bits.encode(2 / 127))
        let quants = block[2...].map { Int8(bitPattern: $0) }
        // x · 127/2: 63.5 → 64 (half away from zero), −127, 31.75 → 32, 0.635 → 1, −63.44 → −63.
        XCTAssertEqual(quants[0], 64)
        XCTAssertEqual(quants[1], -127)
        XCTAssertEqual(quants[2], 32)
        XCTAssertEqual(quants[3], 1)
        XCTAssertEqual(quants[31], -63)
        XCTAssertEqual(quants[4], 0)
        block.withUnsafeBytes {
            XCTAssertEqual(Q8Block.value($0.baseAddress!, 1), -127 * Float16Bits.decode(scale))
        }
    }

    func testQ8PartialZeroAndNonFiniteBlocks() {
        // d = 40: one full block and a partial block of 8 values padded to 32 with zeros.
        let tensor = TensorBuffer(format: .q8_0, rows: 2, rowLength: 40)
        XCTAssertEqual(tensor.byteCount, 2 * 68)
        var row = (0..<40).map { Float($0 + 1) / 40 }
        tensor.store(row: 0, from: row)
        for c in 0..<40 { XCTAssertEqual(tensor[c], row[c], accuracy: 1 / 127, "\(c)") }
        let bytes = tensor.bytes
        XCTAssertEqual(bytes[34 + 2 + 8..<68], [UInt8](repeating: 0, count: 24)[...], "padding quantised as zeros")
        XCTAssertEqual(UInt16(bytes[34]) | UInt16(bytes[35]) << 8, Float16Bits.encode(1 / 127), "padding leaves the scale alone")
        // An all-zero block: scale 0, every value 0.
        row = [Float](repeating: 0, count: 40)
        tensor.store(row: 1, from: row)
        XCTAssertEqual((0..<40).map { tensor[40 + $0] }, row)
        XCTAssertEqual(Array(tensor.bytes[68..<136]), [UInt8](repeating: 0, count: 68))
        // NaN or ±∞ in a block: NaN scale, the whole block NaN, the other block untouched.
        for poison in [Float.nan, .infinity, -.infinity] {
            tensor.store(row: 0, from: (0..<40).map { Float($0 + 1) / 40 })
            tensor[35] = poison
            XCTAssertTrue((32..<40).allSatisfy { tensor[$0].isNaN }, "\(poison)")
            XCTAssertTrue((0..<32).allSatisfy { tensor[$0].isFinite }, "\(poison)")
            XCTAssertEqual(UInt16(tensor.bytes[34]) | UInt16(tensor.bytes[35]) << 8, 0x7E00)
        }
    }

    func testShapeCarriesFormats() throws {
        let plain = AttentionShape(heads: 32, kvHeads: 8, seqQ: 1, seqKV: 32768, headDim: 128, causal: true)
        XCTAssertEqual(plain.dtype, .f32)
        XCTAssertEqual(plain.kvDtype, .f32)
        XCTAssertEqual(plain.description, "B1 H32/KV8 N1×32768 d128 causal")
        var q8 = plain
        q8.kvDtype = .q8_0
        XCTAssertEqual(q8.description, "B1 H32/KV8 N1×32768 d128 causal kv:q8_0")
        let half = AttentionShape(heads: 2, seqQ: 4, headDim: 8, causal: false, dtype: .f16)
        XCTAssertEqual(half.kvDtype, .f16, "kvDtype defaults to dtype")
        XCTAssertEqual(half.description, "B1 H2 N4 d8 full f16")
        XCTAssertEqual(AttentionShape(heads: 2, seqQ: 4, headDim: 8, causal: false, dtype: .bf16, kvDtype: .q8_0).description,
                       "B1 H2 N4 d8 full bf16 kv:q8_0")
        XCTAssertNotEqual(half, AttentionShape(heads: 2, seqQ: 4, headDim: 8, causal: false))
        XCTAssertThrowsError(try AttentionShape(heads: 1, seqQ: 4, headDim: 8, causal: false, dtype: .q8_0, kvDtype: .q8_0).validate()) {
            XCTAssertTrue("\($0)".contains("q8_0"), "\($0)")
            XCTAssertFalse("\($0)".contains("\n"))
        }
        try AttentionShape(heads: 1, seqQ: 4, headDim: 8, causal: false, dtype: .f16, kvDtype: .q8_0).validate()
        XCTAssertEqual(q8.tensorBytes, 2 * (32 * 128 * 4 + 8 * 32768 * 136))
    }

    func testCompulsoryBytesUseEachTensorsBytes() {
        let decode = AttentionShape(heads: 32, kvHeads: 8, seqQ: 1, seqKV: 32768, headDim: 128, causal: true)
        let kv = 2.0 * 8 * 32768
        XCTAssertEqual(CostModel.minimumBytes(decode), 2 * 32 * 512 + kv * 512)
        var shape = decode
        for (format, rowBytes) in [(ElementFormat.f16, 256.0), (.bf16, 256), (.q8_0, 136)] {
            shape.kvDtype = format
            XCTAssertEqual(CostModel.minimumBytes(shape), 2 * 32 * 512 + kv * rowBytes, "\(format)")
        }
        shape.dtype = .bf16
        XCTAssertEqual(CostModel.minimumBytes(shape), 2 * 32 * 256 + kv * 136)
        // A partial q8_0 block costs a whole one: d = 40 is two blocks, 68 bytes a row.
        let partial = AttentionShape(heads: 1, seqQ: 1, seqKV: 10, headDim: 40, causal: false, dtype: .f16, kvDtype: .q8_0)
        XCTAssertEqual(CostModel.minimumBytes(partial), 2 * 80 + 2 * 10 * 68)
    }

    func testEveryFormatStartsFromTheSameDraws() {
        let base = AttentionShape(heads: 2, kvHeads: 1, seqQ: 5, seqKV: 7, headDim: 40, causal: true)
        let f32 = AttentionTensors(shape: base, seed: 9)
        var generator = SplitMix64(seed: 9)
        let drawn = (0..<(base.queryElements + 2 * base.keyElements)).map { _ in generator.nextSignedUnitFloat() }
        XCTAssertEqual(f32.q.decoded() + f32.k.decoded() + f32.v.decoded(), drawn, "f32 is today's draws, bit for bit")
        let inputs = SeededInputs(shape: base, seed: 9)
        XCTAssertEqual((0..<base.keyElements).map(inputs.key), f32.k.decoded(), "draws can be recomputed one by one")
        for (dtype, kvDtype) in [(ElementFormat.f16, ElementFormat.f16), (.bf16, .bf16), (.f16, .q8_0)] {
            var shape = base
            shape.dtype = dtype
            shape.kvDtype = kvDtype
            let tensors = AttentionTensors(shape: shape, seed: 9)
            let q = f32.q.decoded(), k = f32.k.decoded()
            for index in 0..<q.count {
                XCTAssertEqual(tensors.q[index], dtype == .f16 ? Float16Bits.decode(Float16Bits.encode(q[index]))
                                                              : BFloat16Bits.decode(BFloat16Bits.encode(q[index])))
            }
            if kvDtype == .q8_0 {
                let reference = TensorBuffer(format: .q8_0, rows: 7, rowLength: 40)
                for row in 0..<7 { reference.store(row: row, from: Array(k[(row * 40)..<(row * 40 + 40)])) }
                XCTAssertEqual(tensors.k.bytes, reference.bytes)
            }
            XCTAssertEqual(tensors.copy().k.bytes, tensors.k.bytes)
        }
    }

    func testCheckAllowsOutputRoundingAndReportsFormatError() {
        let shape = AttentionShape(heads: 1, seqQ: 6, headDim: 16, causal: false, dtype: .bf16)
        let tensors = AttentionTensors(shape: shape, seed: 4)
        // The reference itself, rounded to bf16: the only error is O's rounding, which the check must allow.
        var scores = [Double](repeating: 0, count: 6), row = [Double](repeating: 0, count: 16)
        for i in 0..<6 {
            ReferenceAttention.computeRow(tensors.operands, batch: 0, head: 0, query: i, scores: &scores, row: &row)
            for c in 0..<16 { tensors.o[i * 16 + c] = Float(row[c]) }
        }
        let report = EquivalenceCheck().compare(tensors, tolerance: Tolerance(multiplier: 0))
        XCTAssertTrue(report.passed, "\(report.maxAbsoluteError) > \(report.allowedAbsoluteError)")
        XCTAssertGreaterThan(report.outputRounding, 0)
        XCTAssertLessThanOrEqual(report.outputRounding, 0x1p-8)
        XCTAssertNotNil(report.formatError)
        XCTAssertGreaterThan(report.formatError!, report.maxAbsoluteError, "bf16 inputs cost accuracy")
        XCTAssertNil(EquivalenceCheck().compare(tensors.operands, tolerance: Tolerance(multiplier: 1)).formatError)
        let f32 = AttentionTensors(shape: AttentionShape(heads: 1, seqQ: 6, headDim: 16, causal: false), seed: 4)
        XCTAssertEqual(EquivalenceCheck().compare(f32, tolerance: Tolerance(multiplier: 1)).outputRounding, 0)
    }
}

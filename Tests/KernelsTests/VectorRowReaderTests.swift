import XCTest
import AttentionCore
@testable import Kernels

/// The in-register conversions of the decode path (`VectorRowReader.loadVector`, the build's SIMD width) against
/// the scalar decoders the reference uses, on every 16-bit pattern of f16 and bf16 (NaN payloads, ±∞,
/// subnormals and −0 included: the results must match bit for bit, NaNs as NaNs) and on every int8 value of a
/// q8_0 block, at every vector position of a row, so a wrong lane order or a lost byte in a permute fails.
final class VectorRowReaderTests: XCTestCase {
    func testSixteenBitFormatsConvertEveryPatternExactly() {
        let count = 1 << 16
        let row = UnsafeMutableRawPointer.allocate(byteCount: 2 * count, alignment: 64)
        defer { row.deallocate() }
        // Pattern i at position i, then the same patterns again shifted by one lane relative to the vectors.
        for shift in [0, 1] {
            for i in 0..<count { row.storeBytes(of: UInt16(truncatingIfNeeded: i + shift).littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
            assertVectorsMatchScalars(F16Decoder.self, row: row, values: count)
            assertVectorsMatchScalars(BF16Decoder.self, row: row, values: count)
        }
    }

    func testQ8ValuesConvertEveryByteExactly() {
        // Eight blocks of 32 values: every int8 value once, each block with its own scale.
        let blocks = 8
        let row = UnsafeMutableRawPointer.allocate(byteCount: blocks * ElementFormat.q8BlockBytes, alignment: 64)
        defer { row.deallocate() }
        let scales: [Float16] = [1, 0.5, -2, 0.000_061_04, 3.5, -0.25, 7, 1.5]
        for b in 0..<blocks {
            let block = row + b * ElementFormat.q8BlockBytes
            block.storeBytes(of: scales[b].bitPattern.littleEndian, as: UInt16.self)
            for j in 0..<32 { block.storeBytes(of: Int8(truncatingIfNeeded: b * 32 + j - 128), toByteOffset: 2 + j, as: Int8.self) }
        }
        assertVectorsMatchScalars(Q8Decoder.self, row: row, values: blocks * 32)
        assertVectorsMatchScalars(Q8Values.self, row: row, values: blocks * 32)
    }

    private func assertVectorsMatchScalars<R: VectorRowReader>(_ reader: R.Type, row: UnsafeRawPointer, values: Int,
                                                                 file: StaticString = #filePath, line: UInt = #line) {
        var mismatches = 0
        var column = 0
        while column < values {
            let vector = R.loadVector(row, column)
            for lane in 0..<vectorWidth {
                let expected = R.decode(row, column + lane), got = vector[lane]
                let same = expected.isNaN ? got.isNaN : expected.bitPattern == got.bitPattern
                if !same {
                    if mismatches < 5 {
                        XCTFail("\(R.format) value \(column + lane): vector \(got), scalar \(expected)", file: file, line: line)
                    }
                    mismatches += 1
                }
            }
            column += vectorWidth
        }
        XCTAssertEqual(mismatches, 0, "\(R.format): \(mismatches) of \(values) values differ", file: file, line: line)
    }
}

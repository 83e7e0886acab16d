import XCTest
import AttentionCore
import Machine
@testable import Kernels

/// The read-bandwidth probe: its buffer size rule and that it measures something. Speeds are the benchmark's
/// business (`attnbench peak`), not the tests'.
final class BandwidthProbeTests: XCTestCase {
    func testBufferIsFourTimesTheL3OfEveryInstanceWithinBounds() {
        let gib: UInt64 = 1 << 30
        XCTAssertEqual(BandwidthProbe.bufferBytes(l3: 32 << 20, cores: 2, physicalMemory: 24 * gib), 128 << 20)
        // 96 cores: 12 L3 instances of 32 MiB → 1.5 GiB.
        XCTAssertEqual(BandwidthProbe.bufferBytes(l3: 32 << 20, cores: 96, physicalMemory: 512 * gib), 1536 << 20)
        // Never below 64 MiB (no L3 reported), never above 2 GiB or an eighth of memory.
        XCTAssertEqual(BandwidthProbe.bufferBytes(l3: 0, cores: 4, physicalMemory: 24 * gib), 64 << 20)
        XCTAssertEqual(BandwidthProbe.bufferBytes(l3: 96 << 20, cores: 96, physicalMemory: 512 * gib), 2 << 30)
        XCTAssertEqual(BandwidthProbe.bufferBytes(l3: 32 << 20, cores: 96, physicalMemory: 4 * gib), 512 << 20)
    }

    func testSumReadsEveryFloat() {
        let buffer = AlignedBuffer(count: vectorWidth * 8 * 3)
        for i in 0..<buffer.count { buffer[i] = Float(i % 7) }
        let expected = (0..<buffer.count).reduce(Float(0)) { $0 + Float($1 % 7) }
        XCTAssertEqual(BandwidthProbe.sum(UnsafePointer(buffer.pointer), floats: buffer.count), expected)
    }

    func testTheAllWorkerFMAProbeGivesAPositiveFigureWithMoreWorkersThanCores() {
        let total = FMAPeakProbe.measureAllWorkers(KernelContext(threads: 3), iterations: 20_000, trials: 2)
        XCTAssertTrue(total.isFinite && total > 0)
    }

    func testASmallProbeGivesPositiveFiguresWithUnpinnedWorkers() {
        let probe = BandwidthProbe(bytes: 1 << 20, context: KernelContext(threads: 3))
        XCTAssertEqual(probe.bytes % (MemoryLayout<FloatVector>.size * 8 * 3), 0, "whole steps per worker")
        XCTAssertLessThanOrEqual(probe.bytes, 1 << 20)
        let single = probe.singleThread(passes: 2), all = probe.allThreads(passes: 2)
        XCTAssertEqual(probe.context.threads, 3)
        XCTAssertTrue(single.isFinite && single > 0)
        XCTAssertTrue(all.isFinite && all > 0)
    }
}

/// AttnBench, the library behind the `attnbench` command: `import AttnBench` is all another package needs
/// to race its own kernel against the built-in ones.
///
/// - the kernel protocol ``AttentionKernel``, ``AttentionShape``, ``AttentionTensors`` and the float64
///   ``EquivalenceCheck`` (module AttentionCore);
/// - the registered kernels, ``KernelRegistry`` (module Kernels);
/// - ``Sweep/run(_:)``: check, time and write one sweep, the whole of `attnbench sweep` (this module);
/// - ``SweepRunner``, ``BenchmarkRecord``, ``ResultsWriter`` and ``ResultsCSV`` (module BenchKit), and
///   the results format ``ResultsSchema`` with ``BenchmarkKey`` (module ResultsSchema);
/// - machine topology, pin plans and the fingerprint (module Machine).
@_exported import AttentionCore
@_exported import BenchKit
@_exported import Kernels
@_exported import Machine
@_exported import ResultsSchema

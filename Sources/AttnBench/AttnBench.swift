/// AttnBench, the library behind the `attnbench` command: `import AttnBench` is all another package needs
/// to race its own kernel against the built-in ones, and to gate the results.
///
/// - the kernel protocol ``AttentionKernel``, ``AttentionShape``, ``AttentionTensors`` and the float64
///   ``EquivalenceCheck`` (module AttentionCore);
/// - machine topology, pin plans and the fingerprint (module Machine);
/// - the registered kernels, ``KernelRegistry``, and the FMA and bandwidth probes (module Kernels);
/// - the results format ``ResultsSchema`` with ``BenchmarkKey``, ``BenchmarkRecord``, CSV reading and
///   writing (``ResultsFile``, ``ResultsCSV``, ``ResultsWriter``), ``RunEnvironment`` and the roofline
///   (module Results);
/// - ``Sweep/run(_:)``: check, time and write one sweep, the whole of `attnbench sweep` (module Sweep);
/// - the regression gate: ``Gate``, baselines and the statistics (module RegressionGate), and the A/B race
///   of two git revisions, ``ABGate`` (module RevisionRace).
@_exported import AttentionCore
@_exported import Machine
@_exported import Kernels
@_exported import Results
@_exported import Sweep
@_exported import RegressionGate
@_exported import RevisionRace

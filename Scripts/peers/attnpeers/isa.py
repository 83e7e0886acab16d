"""`--isa native|avx2`: which instruction set the peers run their kernels in (issue 21).

`native` (the default) leaves every library to its own CPU dispatch and changes nothing. `avx2` caps the
libraries that have a switch for it at AVX2, so that an AVX-512 machine can race attnbench's AVX2 build
(`ATTNBENCH_CPU=haswell`) against the peers' AVX2 code, as on a CPU without AVX-512:

| library | switch |
| --- | --- |
| PyTorch (ATen kernels, SDPA) | `ATEN_CPU_CAPABILITY=avx2`; its BLAS and oneDNN: `MKL_ENABLE_INSTRUCTIONS=AVX2`, `ONEDNN_MAX_CPU_ISA=AVX2` |
| numpy (OpenBLAS, DYNAMIC_ARCH) | `OPENBLAS_CORETYPE=Haswell`, and `OPENBLAS_L2_SIZE` unset (a cache size meant for another core) |
| ONNX Runtime (MLAS) | none: it dispatches on cpuid; the note says which ISA that gives on this CPU |
| ggml | none: as built (ggml-python compiles for the build machine) |

The variables are read when the libraries load, so `apply` runs before any peer is made (cli.main), and the
note of every row says what was asked and, where the library can say, what it runs (`note_for`).
Standard library only.
"""

import os

ISAS = ["native", "avx2"]

# What `--isa avx2` sets; OPENBLAS_L2_SIZE is removed.
AVX2_ENVIRONMENT = {
    "ATEN_CPU_CAPABILITY": "avx2",
    "MKL_ENABLE_INSTRUCTIONS": "AVX2",
    "ONEDNN_MAX_CPU_ISA": "AVX2",
    "OPENBLAS_CORETYPE": "Haswell",
}
AVX2_UNSET = ["OPENBLAS_L2_SIZE"]


def apply(isa, environ=None):
    """Sets (and unsets) the variables of `isa` in `environ` (default: this process's, before the peers load)."""
    environ = os.environ if environ is None else environ
    if isa == "native":
        return environ
    if isa != "avx2":
        raise ValueError("unknown ISA '%s'; one of %s" % (isa, ", ".join(ISAS)))
    environ.update(AVX2_ENVIRONMENT)
    for name in AVX2_UNSET:
        environ.pop(name, None)
    return environ


def cpu_flags(path="/proc/cpuinfo"):
    """The CPU's feature flags (empty where /proc/cpuinfo has none)."""
    try:
        with open(path) as handle:
            for line in handle:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def widest_isa(flags):
    """The widest x86 SIMD level the flags allow, as a library that dispatches on cpuid picks it."""
    if "avx512f" in flags:
        return "AVX-512F"
    if "avx2" in flags and "fma" in flags:
        return "AVX2/FMA"
    if "avx" in flags:
        return "AVX"
    return "SSE" if flags else "unknown"


def _torch_capability():
    try:
        import torch
        return torch.backends.cpu.get_cpu_capability()
    except Exception:  # noqa: BLE001 - older PyTorch, or none
        return None


def _openblas_core():
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            if pool.get("internal_api") == "openblas":
                return pool.get("architecture")
    except Exception:  # noqa: BLE001 - no threadpoolctl
        pass
    return None


def note_for(isa, peer, flags=None, environ=None):
    """What the `note` column says about the ISA of `peer` (a peer name) under `--isa isa`; "" for native."""
    if isa == "native":
        return ""
    environ = os.environ if environ is None else environ
    flags = cpu_flags() if flags is None else flags
    if peer == "torch":
        capability = _torch_capability()
        return "isa avx2: ATEN_CPU_CAPABILITY=%s, MKL_ENABLE_INSTRUCTIONS=%s, ONEDNN_MAX_CPU_ISA=%s%s" % (
            environ.get("ATEN_CPU_CAPABILITY", "-"), environ.get("MKL_ENABLE_INSTRUCTIONS", "-"),
            environ.get("ONEDNN_MAX_CPU_ISA", "-"),
            "; torch reports %s" % capability if capability else "")
    if peer.startswith("numpy"):
        core = _openblas_core()
        return "isa avx2: OPENBLAS_CORETYPE=%s, OPENBLAS_L2_SIZE %s%s" % (
            environ.get("OPENBLAS_CORETYPE", "-"), "unset" if "OPENBLAS_L2_SIZE" not in environ else "set",
            "; OpenBLAS core %s" % core if core else "")
    if peer.startswith("onnxruntime"):
        return ("isa: ONNX Runtime's own (MLAS dispatches on cpuid, no switch caps it): %s on this CPU"
                % widest_isa(flags))
    return "isa: %s's own (no switch caps it): up to %s on this CPU" % (peer, widest_isa(flags))

"""A stand-in for the attnbench binary in test_run_with_attnbench: `sweep --help` mentions --preset only
when FAKE_ATTNBENCH_PRESET=1, and --dtype only when FAKE_ATTNBENCH_DTYPE=1; `sweep ... --output FILE` logs its options to FAKE_ATTNBENCH_LOG and writes one
`naive` row of a tiny shape, with a column newer than the peers' schema (min_bytes)."""

import os
import sys

import support
from attnpeers.schema import COLUMNS, write_atomic
from attnpeers.shape import Shape

SHAPE = Shape(1, 4, 2, 2, 64, 8, True)


def main(argv):
    if argv[:1] != ["sweep"]:
        return 64
    if "--help" in argv:
        print("OPTIONS: --seq --seq-kv --heads" + (" --preset" if os.environ.get("FAKE_ATTNBENCH_PRESET") == "1" else "")
              + (" --dtype --kv-dtype" if os.environ.get("FAKE_ATTNBENCH_DTYPE") == "1" else ""))
        return 0
    output = argv[argv.index("--output") + 1]
    with open(os.environ["FAKE_ATTNBENCH_LOG"], "a") as log:
        log.write(" ".join(argv[1:argv.index("--output")]) + "\n")
    values = dict(SHAPE.fields(), schema_version="1", host="fake", kernel="naive", build="release", threads="1",
                  pin="none", status="ok", median_ms="1", probe_before_gflops="50", min_bytes="4096")
    write_atomic(output, COLUMNS + ["min_bytes"], [[values.get(c, "") for c in COLUMNS + ["min_bytes"]]])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

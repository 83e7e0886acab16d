"""The attnbench results CSV schema, as Sources/Results/ResultsSchema.swift: the same columns in the same
order, numbers as `%.6g`, RFC 4180 quoting only where a field needs it.

Readers (attnbench's and `merge`) look columns up by name, so attnbench may append columns (host_id,
bandwidth_gbs, min_bytes, roofline_gflops, roofline_fraction, ...) that the peers do not write; tests check
that COLUMNS stays a subsequence of the Swift list. Standard library only: `merge` runs with any python3.
"""

import csv
import io
import math
import os

SCHEMA_VERSION = 1

COLUMNS = [
    "schema_version", "timestamp", "host", "cpu_model", "cores", "numa_nodes", "build", "commit",
    "kernel", "batch", "heads", "kv_heads", "seq_q", "seq_kv", "head_dim", "causal", "threads", "pin",
    "repetitions", "min_ms", "median_ms", "mean_ms", "p90_ms", "max_ms", "mad_ms", "gflops",
    "max_abs_err", "max_rel_err", "passed",
    "status", "nrms_err", "allowed_abs_err", "gflop", "speedup_vs_naive",
    "numa_nodes_used", "speedup_vs_1t", "parallel_efficiency",
    "peak_gflops", "peak_fraction", "probe_before_gflops", "probe_after_gflops", "load_average", "noisy",
    "note",
    # Issue 22's contract with the Swift side: appended after every column attnbench had (…,
    # probe_all_cores_after_gflops), in this order.
    "dtype", "kv_dtype", "format_err",
]

# The formats (issue 20/22): `dtype` stores Q, K, V and O, `kv_dtype` K and V; f32, f16, bf16, q8_0 (K/V only).
FORMAT_COLUMNS = ["dtype", "kv_dtype"]
DEFAULT_FORMAT = "f32"

KEY_COLUMNS = ["kernel", "batch", "heads", "kv_heads", "seq_q", "seq_kv", "head_dim", "causal", "threads", "pin"] \
    + FORMAT_COLUMNS

# The samples file: the key columns as before, then sample and time_ms, then the formats (appended last, so
# that readers going by position still find sample and time_ms where they were).
SAMPLE_COLUMNS = ["schema_version", "timestamp", "host"] + KEY_COLUMNS[:-len(FORMAT_COLUMNS)] \
    + ["sample", "time_ms"] + FORMAT_COLUMNS

SHAPE_COLUMNS = ["batch", "heads", "kv_heads", "seq_q", "seq_kv", "head_dim", "causal"] + FORMAT_COLUMNS


def fmt(value):
    """Like ResultsCSV.format: `%.6g`, empty when absent, nan/inf/-inf spelled out."""
    if value is None:
        return ""
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return "%.6g" % value


def number(text):
    """A finite float from a CSV field, or None (empty, malformed, nan, inf)."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def line(fields):
    """One CSV line, quoting a field only when it holds a comma, a quote or a line break (CSVTable.line)."""
    out = []
    for field in fields:
        field = str(field)
        if any(c in field for c in ',"\n\r'):
            field = '"' + field.replace('"', '""') + '"'
        out.append(field)
    return ",".join(out)


def text(header, rows):
    return "\n".join([line(header)] + [line(row) for row in rows]) + "\n"


def write_atomic(path, header, rows):
    """Writes the whole table under a temporary name, then renames it into place."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    temporary = os.path.join(directory, ".%s.%d.tmp" % (os.path.basename(path), os.getpid()))
    with open(temporary, "w", encoding="utf-8", newline="") as handle:
        handle.write(text(header, rows))
    os.replace(temporary, path)


def read(path):
    """(header, rows as dicts) of a CSV file; rows with a wrong field count raise ValueError naming the line."""
    with open(path, encoding="utf-8", newline="") as handle:
        content = handle.read()
    reader = csv.reader(io.StringIO(content))
    try:
        header = next(reader)
    except StopIteration:
        raise ValueError("%s: empty file" % path)
    rows = []
    for fields in reader:
        if not fields:
            continue
        if len(fields) != len(header):
            raise ValueError("%s:%d: %d fields, header has %d" % (path, reader.line_num, len(fields), len(header)))
        rows.append(dict(zip(header, fields)))
    return header, rows


def read_results(path):
    """(header, rows) of a results file of this schema version; ValueError naming the file otherwise."""
    columns, rows = read(path)
    if "schema_version" not in columns:
        raise ValueError("%s: not a results CSV (no schema_version column)" % path)
    for row in rows:
        if row.get("schema_version") not in ("", str(SCHEMA_VERSION)):
            raise ValueError("%s: schema_version %s, expected %d" % (path, row.get("schema_version"), SCHEMA_VERSION))
    return columns, rows


def samples_path(results_path):
    """`<name>-samples.csv` beside `<name>.csv`, as ResultsFile.samplesPath(for:)."""
    if results_path.endswith(".csv"):
        return results_path[:-4] + "-samples.csv"
    return results_path + "-samples.csv"


def formats_of(row):
    """(dtype, kv_dtype) of a row: an older file without them is f32; a missing kv_dtype is the dtype."""
    dtype = row.get("dtype") or DEFAULT_FORMAT
    return dtype, row.get("kv_dtype") or dtype


def shape_key(row):
    return tuple(row.get(c, "") for c in SHAPE_COLUMNS[:-len(FORMAT_COLUMNS)]) + formats_of(row)

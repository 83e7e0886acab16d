"""The attnbench results CSV schema, shared by attnpeers.py and merge.

Mirrors Sources/BenchKit/ResultsCSV.swift: the same columns in the same order, numbers as `%.6g`, RFC 4180
quoting only where a field needs it. `attnpeers.py --self-test` checks COLUMNS and SAMPLE_COLUMNS against
the Swift source, so a column added there without being added here fails the self-test.

Standard library only: `merge` runs with any python3, no virtual environment needed.
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
]

KEY_COLUMNS = ["kernel", "batch", "heads", "kv_heads", "seq_q", "seq_kv", "head_dim", "causal", "threads", "pin"]

SAMPLE_COLUMNS = ["schema_version", "timestamp", "host"] + KEY_COLUMNS + ["sample", "time_ms"]

SHAPE_COLUMNS = ["batch", "heads", "kv_heads", "seq_q", "seq_kv", "head_dim", "causal"]


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


def samples_path(results_path):
    """`<name>-samples.csv` beside `<name>.csv`, as SweepCommand.samplesPath."""
    if results_path.endswith(".csv"):
        return results_path[:-4] + "-samples.csv"
    return results_path + "-samples.csv"


def shape_key(row):
    return tuple(row.get(c, "") for c in SHAPE_COLUMNS)


def _number(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def merge(inputs, output, peer_prefix="peer-"):
    """Concatenates results files (attnbench's and the peers') into `output`, and their samples files into
    its samples file.

    Columns are matched by name; the output header is the current schema followed by any extra columns the
    inputs have, so older attnbench files (fewer columns) merge too. Rows whose `build` starts with
    `peer_prefix` (the peers) get `speedup_vs_naive` recomputed from the `naive` row (status ok) of the same
    shape found in any input: naive median / peer median, as SweepRunner computes it for attnbench kernels.
    Returns (rows written, peer rows given a speed-up).
    """
    header = list(COLUMNS)
    all_rows = []
    for path in inputs:
        columns, rows = read(path)
        if "schema_version" not in columns:
            raise ValueError("%s: not a results CSV (no schema_version column)" % path)
        for row in rows:
            if row.get("schema_version") not in ("", str(SCHEMA_VERSION)):
                raise ValueError("%s: schema_version %s, expected %d" % (path, row.get("schema_version"), SCHEMA_VERSION))
        header += [c for c in columns if c not in header]
        all_rows += rows

    naive = {}
    for row in all_rows:
        if row.get("kernel") == "naive" and row.get("status") == "ok":
            median = _number(row.get("median_ms"))
            if median and median > 0:
                naive.setdefault(shape_key(row), median)
    updated = 0
    for row in all_rows:
        if not row.get("build", "").startswith(peer_prefix):
            continue
        median = _number(row.get("median_ms"))
        base = naive.get(shape_key(row))
        if base is not None and median and median > 0 and row.get("status") == "ok":
            row["speedup_vs_naive"] = fmt(base / median)
            updated += 1
    write_atomic(output, header, [[row.get(c, "") for c in header] for row in all_rows])

    sample_header = list(SAMPLE_COLUMNS)
    sample_rows = []
    found = False
    for path in inputs:
        companion = samples_path(path)
        if not os.path.exists(companion):
            continue
        found = True
        columns, rows = read(companion)
        sample_header += [c for c in columns if c not in sample_header]
        sample_rows += rows
    if found:
        write_atomic(samples_path(output), sample_header, [[row.get(c, "") for c in sample_header] for row in sample_rows])
    return len(all_rows), updated

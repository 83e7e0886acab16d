"""Merging attnbench results files and peers results files into one, with their samples files.

Columns are matched by name; the output has the peers' schema columns in order, then every other column an
input has (older attnbench files with fewer columns merge too, newer ones with more keep them). Peer rows
(build `peer-...`) then get what only attnbench measures:

- `speedup_vs_naive` from the `naive` row of the same shape;
- where attnbench's file has them, the machine- and shape-wide columns of an attnbench row of the same
  host (`host_id`), host and thread count (`bandwidth_gbs`), shape (`min_bytes`), or host, shape and thread
  count (`roofline_gflops`), and `roofline_fraction` = the peer's gflops ÷ roofline_gflops.

Rows of files without the format columns (`dtype`, `kv_dtype`: attnbench and peers files from before
issue 22) are f32 and get `f32` written into them, in the results and the samples files alike, so that every
merged row names its format.

Standard library only.
"""

import os

from attnpeers.schema import COLUMNS, SAMPLE_COLUMNS, fmt, formats_of, number, read, read_results, samples_path, \
    shape_key, write_atomic

PEER_BUILD_PREFIX = "peer-"

# Column → the fields of a row that must agree for an attnbench row's value to hold for a peer row.
INHERITED_COLUMNS = {
    "host_id": ("host",),
    "bandwidth_gbs": ("host", "threads"),
    "min_bytes": ("shape",),
    "roofline_gflops": ("host", "shape", "threads"),
}


def _inherit_key(row, fields):
    return tuple(shape_key(row) if field == "shape" else row.get(field, "") for field in fields)


def is_peer(row):
    return row.get("build", "").startswith(PEER_BUILD_PREFIX)


def fill_peer_rows(rows, header):
    """Fills the peer rows' speedup_vs_naive and inherited columns in place; returns how many peer rows got
    a speed-up."""
    naive = {}
    sources = {column: {} for column in INHERITED_COLUMNS if column in header}
    for row in rows:
        if is_peer(row):
            continue
        if row.get("kernel") == "naive" and row.get("status") == "ok":
            median = number(row.get("median_ms"))
            if median and median > 0:
                naive.setdefault(shape_key(row), median)
        for column, found in sources.items():
            if row.get(column, ""):
                found.setdefault(_inherit_key(row, INHERITED_COLUMNS[column]), row[column])
    updated = 0
    for row in rows:
        if not is_peer(row):
            continue
        for column, found in sources.items():
            if not row.get(column, ""):
                row[column] = found.get(_inherit_key(row, INHERITED_COLUMNS[column]), "")
        median = number(row.get("median_ms"))
        if row.get("status") != "ok" or not median or median <= 0:
            continue
        base = naive.get(shape_key(row))
        if base is not None:
            row["speedup_vs_naive"] = fmt(base / median)
            updated += 1
        roofline, gflops = number(row.get("roofline_gflops")), number(row.get("gflops"))
        if "roofline_fraction" in header and roofline and gflops is not None:
            row["roofline_fraction"] = fmt(gflops / roofline)
    return updated


def fill_formats(rows):
    """Writes each row's (dtype, kv_dtype) into it: f32 where an older file has none."""
    for row in rows:
        row["dtype"], row["kv_dtype"] = formats_of(row)


def merge(inputs, output):
    """Concatenates results files into `output` and their samples files into its samples file; returns
    (rows written, peer rows given a speed-up)."""
    header = list(COLUMNS)
    all_rows = []
    for path in inputs:
        columns, rows = read_results(path)
        header += [c for c in columns if c not in header]
        all_rows += rows
    fill_formats(all_rows)
    updated = fill_peer_rows(all_rows, header)
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
    fill_formats(sample_rows)
    if found:
        write_atomic(samples_path(output), sample_header, [[row.get(c, "") for c in sample_header] for row in sample_rows])
    return len(all_rows), updated


def main(argv):
    """`Scripts/peers/merge --output ALL.csv INPUT.csv...`"""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="merge", description="Merges attnbench and peers results files (and "
                                     "their -samples.csv) into one; columns are matched by name.")
    parser.add_argument("inputs", nargs="+", help="results CSV files (attnbench's and the peers')")
    parser.add_argument("-o", "--output", required=True, help="merged results CSV; samples go beside it")
    args = parser.parse_args(argv)
    outputs = {os.path.abspath(args.output), os.path.abspath(samples_path(args.output))}
    for path in args.inputs:
        if os.path.abspath(path) in outputs:
            parser.error("the output must not be one of the inputs: %s" % path)
        if not os.path.exists(path):
            parser.error("no such file: %s" % path)
    try:
        rows, updated = merge(args.inputs, args.output)
    except (ValueError, OSError) as error:
        print("merge: error: %s" % error, file=sys.stderr)
        return 1
    print("merged %d row(s) from %d file(s) into %s (%d peer row(s) given speedup_vs_naive)"
          % (rows, len(args.inputs), args.output, updated))
    return 0

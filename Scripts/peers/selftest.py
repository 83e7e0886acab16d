"""`attnpeers.py --self-test`: checks everything the peers' numbers rest on, without timing anything.

- SplitMix64: a published known answer, the vectorised generator against the scalar one (wrap-around
  included), and float bit patterns printed by Sources/AttentionCore/SplitMix64.swift itself;
- the checked rows of EquivalenceCheck (values printed by the Swift code), the float64 check (each
  available peer passes on awkward shapes, a corrupted output fails, NaN counts as a mismatch);
- SampleStatistics, CostModel, `%.6g` formatting, the CSV columns against Sources/BenchKit/ResultsCSV.swift;
- merge, on a small attnbench file and a peers file.

Ends with the line `selftest: N passed, N failed`; exits 1 when anything failed. Needs numpy; onnxruntime
and torch are exercised when importable and reported as skipped otherwise.
"""

import math
import os
import re
import sys
import tempfile
import traceback

import attnpeers as ap
import peerscsv

RESULTS = {"passed": 0, "failed": 0, "skipped": 0}


def test(function):
    name = function.__name__
    try:
        outcome = function()
    except Exception:  # noqa: BLE001 - report and go on
        RESULTS["failed"] += 1
        print("FAIL %s\n%s" % (name, traceback.format_exc()), flush=True)
        return
    if outcome == "skip" or (isinstance(outcome, str) and outcome.startswith("skip")):
        RESULTS["skipped"] += 1
        print("skip %s: %s" % (name, outcome), flush=True)
    else:
        RESULTS["passed"] += 1
        print("ok   %s" % name, flush=True)


def float_bits(values):
    import numpy as np
    return ["%08x" % int(b) for b in np.asarray(values, dtype=np.float32).view(np.uint32)]


# ---- generator


def splitmix_known_answer():
    # Published SplitMix64 test vector (seed 1234567), also printed by the Swift implementation.
    generator = ap.SplitMix64(1234567)
    assert [generator.next() for _ in range(5)] == [
        6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821]


def splitmix_vectorised_matches_scalar():
    for seed in [0, 42, 7, ap.MASK64, ap.MASK64 - ap.GAMMA + 3, 0x0123456789ABCDEF]:
        scalar = ap.SplitMix64(seed)
        expected = [scalar.next() for _ in range(300)]
        assert [int(x) for x in ap.splitmix64_outputs(seed, 0, 300)] == expected, seed
        assert [int(x) for x in ap.splitmix64_outputs(seed, 123, 50)] == expected[123:173], seed
        scalar = ap.SplitMix64(seed)
        floats = [scalar.next_signed_unit_float() for _ in range(300)]
        got = ap.signed_unit_floats(seed, 0, 300, chunk=64)  # several chunks
        assert [float(x) for x in got] == floats, seed
        assert all(-1.0 <= f < 1.0 for f in floats)


def inputs_match_swift():
    # Bit patterns printed by `SplitMix64(seed:).nextSignedUnitFloat()` compiled from
    # Sources/AttentionCore/SplitMix64.swift (swiftc -O).
    q, _, _ = ap.make_inputs(ap.Shape(1, 1, 1, 8, 8, 1, False), 42)
    assert float_bits(q.ravel()) == ["3ef75cc8", "bf2e203a", "bee2b664", "be9f8c7c",
                                     "bf6c8750", "3f3c8862", "bf102d32", "3f19ec6a"], float_bits(q.ravel())
    # B1 H2 N16 d8, seed 7: Q is elements 0..255, K 256..511, V 512..767 of one stream.
    q, k, v = ap.make_inputs(ap.Shape(1, 2, 2, 16, 16, 8, False), 7)
    picked = [q.ravel()[255], k.ravel()[0], k.ravel()[255], v.ravel()[0], v.ravel()[255]]
    assert float_bits(picked) == ["bf30a360", "bebb44cc", "3cff46c0", "beffca1c", "3e973794"], float_bits(picked)
    assert q.dtype.name == k.dtype.name == v.dtype.name == "float32"


# ---- check


def check_rows_match_swift():
    assert ap.check_rows(100, 8, 42) == [0, 13, 50, 58, 62, 64, 91, 99]
    rows = ap.check_rows(4096, 64, 42)
    assert rows[:10] == [0, 8, 22, 51, 190, 215, 259, 597, 838, 916] and len(rows) == 64 and rows[-1] == 4095
    assert ap.check_rows(10, 64, 1) == list(range(10))


AWKWARD = [
    ap.Shape(1, 2, 2, 33, 33, 16, False),
    ap.Shape(1, 2, 2, 33, 33, 16, True),
    ap.Shape(2, 4, 2, 20, 45, 8, True),    # GQA, Nq < Nk (bottom-right offset 25)
    ap.Shape(1, 2, 1, 50, 30, 8, True),    # MQA, Nq > Nk: the first 20 rows see nothing
    ap.Shape(1, 3, 3, 70, 70, 32, True),   # more rows than are checked
    ap.Shape(1, 1, 1, 17, 5, 4, False),
]


def reference_agrees_with_direct_formula():
    import numpy as np
    shape = ap.Shape(1, 2, 1, 12, 9, 4, True)
    q, k, v = ap.make_inputs(shape, 3)
    for h in range(2):
        rows = list(range(12))
        r = ap.reference_rows(shape, q, k, v, 0, h, rows)
        for i in rows:
            visible = shape.visible(i)
            if visible == 0:
                assert not r[i].any()
                continue
            s = [shape.scale * sum(float(q[0, h, i, c]) * float(k[0, 0, j, c]) for c in range(4)) for j in range(visible)]
            w = [math.exp(x - max(s)) for x in s]
            expected = [sum(w[j] / sum(w) * float(v[0, 0, j, c]) for j in range(visible)) for c in range(4)]
            assert np.allclose(r[i], expected, rtol=1e-12, atol=1e-15)
    assert ap.Shape(1, 1, 1, 50, 30, 8, True).dead_rows == 20


def check_catches_errors():
    import numpy as np
    shape = ap.Shape(1, 2, 2, 40, 40, 16, True)
    q, k, v = ap.make_inputs(shape, 5)
    good = ap.NumpyPeer().prepare(shape, q, k, v, 1)().copy()
    report = ap.compare(shape, q, k, v, good, 64, 5)
    assert report["passed"] and report["max_abs_err"] < report["allowed_abs_err"], report
    assert report["rows_checked"] == 80
    bad = good.copy()
    bad[0, 1, 39, 3] += 1e-3
    report = ap.compare(shape, q, k, v, bad, 64, 5)
    assert not report["passed"] and report["max_abs_err"] > 9e-4, report
    bad = good.copy()
    bad[0, 0, 0, 0] = np.nan
    report = ap.compare(shape, q, k, v, bad, 64, 5)
    assert not report["passed"] and report["mismatches"] == 1, report
    # A top-left causal mask (the wrong alignment) must fail when Nq != Nk.
    shape = ap.Shape(1, 1, 1, 8, 24, 8, True)
    q, k, v = ap.make_inputs(shape, 9)
    out = np.zeros_like(q)
    for i in range(8):
        s = (q[0, 0, i].astype(np.float64) @ k[0, 0, :i + 1].T.astype(np.float64)) * shape.scale
        w = np.exp(s - s.max())
        out[0, 0, i] = (w / w.sum()) @ v[0, 0, :i + 1]
    assert not ap.compare(shape, q, k, v, out, 64, 9)["passed"]


def tolerance_formula():
    import numpy as np
    shape = ap.Shape(1, 1, 1, 4, 4, 2, False)
    q = np.array([[[[1, 0], [0, 0.5], [0, 0], [0, 0]]]], dtype=np.float32)
    k = np.array([[[[0.5, 0.5], [0, 1], [0, 0], [0, 0]]]], dtype=np.float32)
    v = np.array([[[[0.25, -0.75], [0, 0], [0, 0], [0, 0]]]], dtype=np.float32)
    o = np.zeros_like(q)
    report = ap.compare(shape, q, k, v, o, 64, 1)
    kappa = shape.scale * 1.0 * 1.0  # max |q_i| = 1, max |k_j| = 1
    expected = 64 * 2.0 ** -23 * (kappa + math.log2(4) + 1) * 0.75
    assert abs(report["allowed_abs_err"] - expected) < 1e-18, (report, expected)


def _peer_on_awkward_shapes(name):
    try:
        peer = ap.make_peer(name, "auto")
    except ap.PeerUnavailable as error:
        return "skip: %s" % error
    for shape in AWKWARD:
        q, k, v = ap.make_inputs(shape, 11)
        for threads in (1, 2):
            peer.set_threads(threads)
            runner = peer.prepare(shape, q, k, v, threads)
            first = runner().copy()
            report = ap.compare(shape, q, k, v, first, 64, 11)
            assert report["passed"], (name, str(shape), report, peer.note)
            if shape.dead_rows:
                assert not first[:, :, :shape.dead_rows].any()
            again = runner()
            report = ap.compare(shape, q, k, v, again, 64, 11)
            assert report["passed"], (name, str(shape), "second run", report)
    return None


def numpy_peer_passes():
    return _peer_on_awkward_shapes("numpy")


def onnxruntime_peer_passes():
    outcome = _peer_on_awkward_shapes("onnxruntime")
    if outcome:
        return outcome
    for op in ("attention", "matmul"):
        peer = ap.OnnxRuntimePeer(op)
        for shape in AWKWARD[1:4]:
            q, k, v = ap.make_inputs(shape, 13)
            report = ap.compare(shape, q, k, v, peer.prepare(shape, q, k, v, 1)(), 64, 13)
            assert report["passed"], (op, str(shape), report)
    return None


def torch_peer_passes():
    return _peer_on_awkward_shapes("torch")


# ---- statistics, cost, CSV


def statistics_match_sample_statistics():
    s = ap.statistics([4, 1, 100, 3, 2])
    p90 = s.pop("p90")
    assert s == {"count": 5, "min": 1, "max": 100, "median": 3, "mean": 22, "mad": 1} and abs(p90 - 61.6) < 1e-12, s
    s = ap.statistics([2.0, 1.0])
    assert s["median"] == 1.5 and abs(s["p90"] - 1.9) < 1e-12 and s["mad"] == 0.5
    assert ap.statistics([7.0])["p90"] == 7.0 and ap.statistics([]) is None


def cost_model_matches_brute_force():
    for seq_q in [1, 2, 7, 64]:
        for seq_kv in [1, 3, 7, 64, 100]:
            for causal in (False, True):
                shape = ap.Shape(2, 3, 1, seq_q, seq_kv, 16, causal)
                brute = sum(shape.visible(i) for i in range(seq_q))
                assert ap.visible_pairs(shape) == brute, (str(shape), ap.visible_pairs(shape), brute)
                assert ap.flops(shape) == 2 * 3 * brute * 4 * 16
    assert ap.visible_pairs(ap.Shape(1, 1, 1, 4096, 4096, 64, True)) == 4096 * 4097 // 2


def number_format():
    assert peerscsv.fmt(None) == "" and peerscsv.fmt(float("nan")) == "nan"
    assert peerscsv.fmt(float("inf")) == "inf" and peerscsv.fmt(-float("inf")) == "-inf"
    assert peerscsv.fmt(34.359738368) == "34.3597" and peerscsv.fmt(1.17559e-07) == "1.17559e-07"
    assert peerscsv.fmt(1) == "1" and peerscsv.fmt(123456789) == "1.23457e+08"
    assert peerscsv.line(["a", "b,c", 'd"e']) == 'a,"b,c","d""e"'


def columns_match_swift():
    source = os.path.join(ap.REPO, "Sources", "BenchKit", "ResultsCSV.swift")
    if not os.path.exists(source):
        return "skip: %s not found" % source
    text = open(source, encoding="utf-8").read()

    def literal(name):
        match = re.search(r"static let %s\s*=\s*\[(.*?)\]" % name, text, re.S)
        assert match, name
        return re.findall(r'"([^"]*)"', match.group(1))

    assert literal("columns") == peerscsv.COLUMNS, "ResultsCSV.columns changed: update Scripts/peers/peerscsv.py"
    assert literal("keyColumns") == peerscsv.KEY_COLUMNS
    match = re.search(r"static let sampleColumns\s*=\s*\[(.*?)\]\s*\+\s*keyColumns\s*\+\s*\[(.*?)\]", text, re.S)
    assert match, "sampleColumns"
    prefix, suffix = (re.findall(r'"([^"]*)"', g) for g in match.groups())
    assert prefix + peerscsv.KEY_COLUMNS + suffix == peerscsv.SAMPLE_COLUMNS
    assert re.search(r"schemaVersion = %d\b" % peerscsv.SCHEMA_VERSION, text)


def rows_follow_schema():
    shape = ap.Shape(1, 8, 8, 4096, 4096, 64, False)
    record = ap.Record("numpy", "peer-numpy-2.0", shape, 2, "ok", "BLAS x; y")
    record.samples = [100.0, 110.0, 90.0]
    record.check = {"max_abs_err": 1e-7, "max_rel_err": 2e-5, "nrms_err": 1e-6, "allowed_abs_err": 1e-4}
    record.speedup_vs_1t = 1.5
    env = {"timestamp": "2026-01-01T00:00:00Z", "host": "h", "cpu_model": "C, Inc.", "cores": 2, "numa_nodes": 1,
           "commit": "abc", "load_average": 0.5, "noisy": False}
    row = dict(zip(peerscsv.COLUMNS, record.row(env, 50.0)))
    assert len(record.row(env, None)) == len(peerscsv.COLUMNS)
    assert row["kernel"] == "numpy" and row["pin"] == "none" and row["threads"] == "2" and row["causal"] == "false"
    assert row["median_ms"] == "100" and row["repetitions"] == "3" and row["status"] == "ok" and row["passed"] == "true"
    assert row["gflop"] == "34.3597" and row["gflops"] == "343.597", row["gflops"]
    assert row["peak_gflops"] == "100" and row["peak_fraction"] == "3.43597"
    assert row["parallel_efficiency"] == "0.75" and row["speedup_vs_naive"] == ""
    assert ap.Record("torch", "peer-torch", shape, 1, "skipped", "n").row(env, None)[peerscsv.COLUMNS.index("passed")] == "false"
    samples = record.sample_rows(env)
    assert len(samples) == 3 and len(samples[0]) == len(peerscsv.SAMPLE_COLUMNS) and samples[2][-2:] == ["2", "90"]


def merge_recomputes_speedup():
    with tempfile.TemporaryDirectory() as directory:
        bench = os.path.join(directory, "bench.csv")
        old_columns = peerscsv.COLUMNS[:peerscsv.COLUMNS.index("parallel_efficiency") + 1] + ["note"]

        def row(columns, **values):
            base = {"schema_version": "1", "batch": "1", "heads": "8", "kv_heads": "8", "seq_q": "64", "seq_kv": "64",
                    "head_dim": "64", "causal": "false", "threads": "1", "pin": "none", "status": "ok"}
            base.update(values)
            return [base.get(c, "") for c in columns]

        peerscsv.write_atomic(bench, old_columns, [row(old_columns, kernel="naive", build="release-simd16", median_ms="10"),
                                                   row(old_columns, kernel="fused", build="release-simd16", median_ms="2", note="x,y")])
        peerscsv.write_atomic(peerscsv.samples_path(bench), peerscsv.SAMPLE_COLUMNS,
                              [["1", "t", "h", "naive", "1", "8", "8", "64", "64", "64", "false", "1", "none", "0", "10"]])
        peers = os.path.join(directory, "peers.csv")
        cols = peerscsv.COLUMNS
        peerscsv.write_atomic(peers, cols, [row(cols, kernel="numpy", build="peer-numpy-2", median_ms="4"),
                                            row(cols, kernel="numpy", build="peer-numpy-2", median_ms="4", causal="true"),
                                            row(cols, kernel="torch", build="peer-torch", status="skipped")])
        peerscsv.write_atomic(peerscsv.samples_path(peers), peerscsv.SAMPLE_COLUMNS,
                              [["1", "t", "h", "numpy", "1", "8", "8", "64", "64", "64", "false", "1", "none", "0", "4"]])
        out = os.path.join(directory, "all.csv")
        count, updated = peerscsv.merge([bench, peers], out)
        assert (count, updated) == (5, 1)
        header, rows = peerscsv.read(out)
        assert header == peerscsv.COLUMNS
        assert [r["kernel"] for r in rows] == ["naive", "fused", "numpy", "numpy", "torch"]
        assert rows[2]["speedup_vs_naive"] == "2.5" and rows[3]["speedup_vs_naive"] == "" and rows[1]["note"] == "x,y"
        assert rows[1]["speedup_vs_naive"] == ""  # attnbench's own rows are left as they were
        _, samples = peerscsv.read(peerscsv.samples_path(out))
        assert [s["kernel"] for s in samples] == ["naive", "numpy"]


def run():
    tests = [splitmix_known_answer, splitmix_vectorised_matches_scalar, inputs_match_swift, check_rows_match_swift,
             reference_agrees_with_direct_formula, check_catches_errors, tolerance_formula,
             statistics_match_sample_statistics, cost_model_matches_brute_force, number_format, columns_match_swift,
             rows_follow_schema, merge_recomputes_speedup,
             numpy_peer_passes, onnxruntime_peer_passes, torch_peer_passes]
    for function in tests:
        test(function)
    line = "selftest: %d passed, %d failed" % (RESULTS["passed"], RESULTS["failed"])
    if RESULTS["skipped"]:
        line += ", %d skipped" % RESULTS["skipped"]
    print(line, flush=True)
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(run())

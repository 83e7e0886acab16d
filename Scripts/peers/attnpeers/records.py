"""One (peer, shape, threads) result and its CSV rows in attnbench's schema."""

from attnpeers.schema import COLUMNS, SAMPLE_COLUMNS, SCHEMA_VERSION, fmt, samples_path, write_atomic
from attnpeers.shape import flops
from attnpeers.statistics import statistics


class Record:
    def __init__(self, peer, build, shape, threads, status, note="", check=None):
        self.peer, self.build, self.shape, self.threads = peer, build, shape, threads
        self.status, self.note, self.check = status, note, check
        self.samples = []
        self.speedup_vs_1t = None

    @property
    def stats(self):
        return statistics(self.samples)

    @property
    def gflops(self):
        """Useful (unmasked) GFLOP/s at the median time."""
        stats = self.stats
        if not stats or stats["median"] <= 0:
            return None
        return flops(self.shape) / (stats["median"] * 1e6)

    def key_fields(self):
        fields = {"kernel": self.peer, "threads": str(self.threads), "pin": "none"}
        fields.update(self.shape.fields())
        return fields

    def row(self, env, peak_per_core):
        """The results row (a list in COLUMNS order). `peak_per_core`: attnbench's FMA probe, or None."""
        stats = self.stats or {}
        check = self.check or {}
        peak = peak_per_core * min(self.threads, max(1, env["cores"])) if peak_per_core else None
        gflops = self.gflops
        values = {
            "schema_version": str(SCHEMA_VERSION), "timestamp": env["timestamp"], "host": env["host"],
            "cpu_model": env["cpu_model"], "cores": str(env["cores"]), "numa_nodes": str(env["numa_nodes"]),
            "build": self.build, "commit": env["commit"], "repetitions": str(len(self.samples)),
            "min_ms": fmt(stats.get("min")), "median_ms": fmt(stats.get("median")),
            "mean_ms": fmt(stats.get("mean")), "p90_ms": fmt(stats.get("p90")),
            "max_ms": fmt(stats.get("max")), "mad_ms": fmt(stats.get("mad")),
            "gflops": fmt(gflops),
            "max_abs_err": fmt(check.get("max_abs_err")), "max_rel_err": fmt(check.get("max_rel_err")),
            "passed": "true" if self.status == "ok" else "false", "status": self.status,
            "nrms_err": fmt(check.get("nrms_err")), "allowed_abs_err": fmt(check.get("allowed_abs_err")),
            "gflop": fmt(flops(self.shape) / 1e9), "speedup_vs_naive": "",
            "numa_nodes_used": "1", "speedup_vs_1t": fmt(self.speedup_vs_1t),
            "parallel_efficiency": fmt(self.speedup_vs_1t / self.threads if self.speedup_vs_1t else None),
            "peak_gflops": fmt(peak),
            "peak_fraction": fmt(gflops / peak if (gflops is not None and peak) else None),
            "probe_before_gflops": "", "probe_after_gflops": "",
            "load_average": fmt(env["load_average"]), "noisy": "true" if env["noisy"] else "false",
            "note": self.note, "format_err": fmt(check.get("format_err")),
        }
        values.update(self.key_fields())
        return [values.get(column, "") for column in COLUMNS]

    def sample_rows(self, env):
        fields = self.key_fields()
        return [[{"schema_version": str(SCHEMA_VERSION), "timestamp": env["timestamp"], "host": env["host"],
                  "sample": str(index), "time_ms": fmt(sample)}.get(c, fields.get(c)) for c in SAMPLE_COLUMNS]
                for index, sample in enumerate(self.samples)]


def fill_relative_speeds(records):
    """speedup_vs_1t of each record: the same peer's one-thread median on the same shape ÷ its median."""
    for record in records:
        stats = record.stats
        if not stats or stats["median"] <= 0:
            continue
        base = next((r for r in records if r.peer == record.peer and r.shape == record.shape
                     and r.threads == 1 and r.status == "ok"), None)
        if base is not None and base.stats:
            record.speedup_vs_1t = base.stats["median"] / stats["median"]


def write_results(path, records, env, peak_per_core):
    """Writes the results file and its samples file (atomically, whole)."""
    write_atomic(path, COLUMNS, [r.row(env, peak_per_core) for r in records])
    write_atomic(samples_path(path), SAMPLE_COLUMNS, [row for r in records for row in r.sample_rows(env)])

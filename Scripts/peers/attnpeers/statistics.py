"""Sample statistics, as Sources/Results/SampleStatistics.swift: quantiles by linear interpolation between
order statistics, and the median absolute deviation (MAD) around the median."""


def quantile(ordered, q):
    """The q-quantile (0 ≤ q ≤ 1) of an ascending, non-empty list."""
    position = q * (len(ordered) - 1)
    lower = int(position // 1)
    upper = min(lower + 1, len(ordered) - 1)
    fraction = position - lower
    return ordered[lower] + (ordered[upper] - ordered[lower]) * fraction


def statistics(samples):
    """count, min, max, median, p90, mean and mad of the samples; None when there are none."""
    if not samples:
        return None
    ordered = sorted(samples)
    median = quantile(ordered, 0.5)
    return {"count": len(ordered), "min": ordered[0], "max": ordered[-1], "median": median,
            "p90": quantile(ordered, 0.9), "mean": sum(ordered) / len(ordered),
            "mad": quantile(sorted(abs(x - median) for x in ordered), 0.5)}

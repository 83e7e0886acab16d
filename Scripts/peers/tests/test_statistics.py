"""Statistics as SampleStatistics computes them."""

import unittest

import support  # noqa: F401 - puts attnpeers on the path

from attnpeers.statistics import statistics


class StatisticsTests(unittest.TestCase):
    def test_matches_sample_statistics(self):
        s = statistics([4, 1, 100, 3, 2])
        self.assertAlmostEqual(s.pop("p90"), 61.6, delta=1e-12)
        self.assertEqual(s, {"count": 5, "min": 1, "max": 100, "median": 3, "mean": 22, "mad": 1})
        s = statistics([2.0, 1.0])
        self.assertEqual((s["median"], s["mad"]), (1.5, 0.5))
        self.assertAlmostEqual(s["p90"], 1.9, delta=1e-12)

    def test_edge_cases(self):
        self.assertEqual(statistics([7.0])["p90"], 7.0)
        self.assertIsNone(statistics([]))


if __name__ == "__main__":
    unittest.main()

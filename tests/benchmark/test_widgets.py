"""The benchmarking page helpers."""

from __future__ import annotations


def test_page_helpers_are_exposed():
    import resilience_course as rc

    assert rc.BenchmarkResponse.__name__ == "BenchmarkResponse"
    out = rc.benchmark_overview().value
    assert out.count("<tr>") == 8 and "60 indicators" in out

"""Measurements of the load benchmark: timed samples, percentiles, the printed table."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class Sample:
    kind: str
    seconds: float
    status: int  # 0: transport error
    outcome: str  # ok, accepted, conflict, unexpected, error


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample, problem: str = "") -> None:
        with self.lock:
            self.samples.append(sample)
            if problem and len(self.problems) < 20:
                self.problems.append(problem)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not values:
        return float("nan")
    index = max(0, min(len(values) - 1, round(share * len(values) + 0.5) - 1))
    return values[index]


def report(title: str, recorder: Recorder, seconds: float, baseline: Recorder | None) -> None:
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in recorder.samples:
        by_kind[sample.kind].append(sample)
    base_p50 = {}
    if baseline is not None:
        for kind, samples in _group(baseline).items():
            base_p50[kind] = percentile(sorted(s.seconds for s in samples), 0.5)
    total = len(recorder.samples)
    print(f"\n{title}: {total} requests in {seconds:.1f} s = {total / seconds:.1f} requests/s")
    header = (
        f"{'request':<28}{'count':>7}{'ok':>7}{'confl.':>7}{'5xx':>5}{'err.':>6}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p50/base':>10}"
    )
    print(header)
    print("-" * len(header))
    for kind in sorted(by_kind):
        samples = by_kind[kind]
        times = sorted(s.seconds for s in samples)
        ok = sum(s.outcome in ("ok", "accepted") for s in samples)
        conflicts = sum(s.outcome == "conflict" for s in samples)
        server_errors = sum(s.status >= 500 for s in samples)
        other = sum(s.outcome in ("error", "unexpected") for s in samples) - server_errors
        p50 = percentile(times, 0.5)
        ratio = f"{p50 / base_p50[kind]:.1f}×" if kind in base_p50 and base_p50[kind] > 0 else "–"
        print(
            f"{kind:<28}{len(samples):>7}{ok:>7}{conflicts:>7}{server_errors:>5}{other:>6}"
            f"{milliseconds(times)}{ratio:>10}"
        )
    times = sorted(s.seconds for s in recorder.samples)
    print(
        f"{'all':<28}{total:>7}{'':>7}{'':>7}"
        f"{sum(s.status >= 500 for s in recorder.samples):>5}{'':>6}{milliseconds(times)}"
    )


def milliseconds(times: list[float]) -> str:
    """p50, p95 and p99 of sorted seconds, in milliseconds, as three table columns."""
    return "".join(f"{percentile(times, share) * 1000:>9.0f}" for share in (0.5, 0.95, 0.99))


def _group(recorder: Recorder) -> dict[str, list[Sample]]:
    grouped: dict[str, list[Sample]] = defaultdict(list)
    for sample in recorder.samples:
        grouped[sample.kind].append(sample)
    return grouped

"""Durations kept as counters (issue 14, item 2): a count, an exact sum, and log buckets.

Bucket k holds the durations d (seconds) with floor(4 * log2(d + 1)) = k: each bucket is 2^(1/4)
(about 19%) wider than the one before, so 90 buckets cover 0 s to more than a year, and only the
buckets a duration fell in are stored. The mean is exact (sum / count); the median and the 90th
percentile are read from the buckets, interpolated inside the bucket holding them: off by at most
that bucket's width (19% of the value, a second under 4 s). Pure."""

from __future__ import annotations

import math
from collections.abc import Mapping

STEPS_PER_DOUBLING = 4
COUNT, SUM, BUCKET = "n", "s", "b"


def bucket_of(seconds: float) -> int:
    return math.floor(STEPS_PER_DOUBLING * math.log2(max(0.0, seconds) + 1))


def bucket_bounds(bucket: int) -> tuple[float, float]:
    """[low, high) in seconds."""
    return 2 ** (bucket / STEPS_PER_DOUBLING) - 1, 2 ** ((bucket + 1) / STEPS_PER_DOUBLING) - 1


def increments(name: str, seconds: float) -> dict[str, int]:
    """The counters one duration adds to the histogram `name` (whole seconds summed)."""
    seconds = max(0.0, seconds)
    return {f"h:{name}:{COUNT}": 1, f"h:{name}:{SUM}": round(seconds), f"h:{name}:{BUCKET}{bucket_of(seconds)}": 1}


def read(counters: Mapping[str, int], *names: str) -> tuple[int, int, dict[int, int]]:
    """Count, sum and buckets of the histograms `names` merged (e.g. person and auto replies)."""
    count = total = 0
    buckets: dict[int, int] = {}
    for name in names:
        prefix = f"h:{name}:"
        for key, value in counters.items():
            if not key.startswith(prefix):
                continue
            part = key[len(prefix) :]
            if part == COUNT:
                count += int(value)
            elif part == SUM:
                total += int(value)
            elif part.startswith(BUCKET):
                bucket = int(part[len(BUCKET) :])
                buckets[bucket] = buckets.get(bucket, 0) + int(value)
    return count, total, buckets


def quantile(buckets: Mapping[int, int], q: float) -> float | None:
    """The q-quantile (0 < q <= 1) of the durations counted in `buckets`, interpolated in its bucket."""
    count = sum(buckets.values())
    if count <= 0:
        return None
    rank = max(1.0, q * count)  # the rank-th smallest duration, 1-based
    seen = 0
    for bucket in sorted(buckets):
        inside = buckets[bucket]
        if seen + inside >= rank:
            low, high = bucket_bounds(bucket)
            if inside == 1:
                return (low + high) / 2
            return low + (high - low) * min(1.0, max(0.0, (rank - seen - 0.5) / inside))
        seen += inside
    return bucket_bounds(max(buckets))[1]


def durations(counters: Mapping[str, int], *names: str) -> dict[str, float | int | None]:
    """The `Durations` of the API: count, exact mean, median and 90th percentile from the buckets."""
    count, total, buckets = read(counters, *names)
    if count <= 0:
        return {"count": 0, "mean_seconds": None, "median_seconds": None, "p90_seconds": None}
    if count == 1:  # one duration: its exact value (its bucket's middle would contradict the mean)
        return {"count": 1, "mean_seconds": float(total), "median_seconds": float(total), "p90_seconds": float(total)}
    return {
        "count": count,
        "mean_seconds": total / count,
        "median_seconds": round(quantile(buckets, 0.5) or 0.0, 1),
        "p90_seconds": round(quantile(buckets, 0.9) or 0.0, 1),
    }

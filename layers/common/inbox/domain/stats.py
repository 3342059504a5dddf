"""Statistics from the day counters: pure arithmetic, no I/O."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Accuracy:
    """How often one decider's choice of one folder was kept by the people who read the conversations."""

    day: str
    decider: str  # rule or ai
    folder_id: str  # "none" when the decider left it in the inbox
    decided: int
    corrected: int

    @property
    def kept(self) -> float | None:
        """The share of decisions no person undid; None with no decision to judge."""
        if self.decided <= 0:
            return None
        return max(0.0, (self.decided - self.corrected) / self.decided)


def classification_accuracy(days: dict[str, dict[str, int]]) -> list[Accuracy]:
    """Rows per day, decider and folder from counters named `classified:<decider>:<folder>` and
    `corrected:<decider>:<folder>` (a correction counts on the day the person moved it)."""
    rows: dict[tuple[str, str, str], list[int]] = {}
    for day, counters in days.items():
        for name, value in counters.items():
            kind, _, rest = name.partition(":")
            decider, _, folder = rest.partition(":")
            if kind not in ("classified", "corrected") or not folder:
                continue
            row = rows.setdefault((day, decider, folder), [0, 0])
            row[0 if kind == "classified" else 1] += int(value)
    return [Accuracy(day, decider, folder, d, c) for (day, decider, folder), (d, c) in sorted(rows.items())]

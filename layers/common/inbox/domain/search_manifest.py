"""The search index's commit point (issue 14, item 1), pure: which segments are live, and how many
conversations are forgotten (deleted: their documents stay in segments until a merge drops them; a
search never returns them, as their conversations are gone).

The forgotten conversations' ids (tombstones) are items of their own, read only for a merge: in the
manifest they made every commit and every search read and write tens of KB (issue 14 review, search
item 8). The manifest keeps their count, which says when to merge everything.

Segments are ordered oldest first; a document in a newer segment replaces one with the same id in an
older one. Merging keeps the segments few: past MAX_SEGMENTS, the newest run of segments that
together hold at least as many documents as the segment before them is merged into one (so segments
grow geometrically and an old, big one is rewritten rarely); past MAX_TOMBSTONES forgotten
conversations, every segment is merged and the tombstones dropped."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import timedelta

MAX_SEGMENTS = 8
MAX_TOMBSTONES = 1_000  # forgotten conversations whose documents a full merge then drops
# The segments a merge replaced are removed this long after the commit that stopped naming them: a
# reader that read the manifest before is done with them long before (a search takes a second).
RETIRED_GRACE = timedelta(minutes=10)


@dataclass(frozen=True)
class SegmentRef:
    key: str
    docs: int
    size: int


@dataclass(frozen=True)
class MergePlan:
    """Merge these segments into one, leaving out the documents of the `forgotten` conversations."""

    segments: tuple[SegmentRef, ...]
    forgotten: frozenset[str]


@dataclass(frozen=True)
class SearchManifest:
    tenant_id: str
    version: int = 0  # 0: never written; every commit writes version + 1 if it is still `version`
    segments: tuple[SegmentRef, ...] = ()
    # The tombstones this object knows: a batch's new ones (written with the commit), or all of them,
    # read for a merge. A manifest read for a search holds none.
    tombstones: frozenset[str] = field(default_factory=frozenset)
    tombstone_count: int = 0  # stored: how many tombstones there are
    dropped: frozenset[str] = field(default_factory=frozenset)  # a merge applied them: removed after its commit

    def with_batch(self, segment: SegmentRef | None, forgotten: Iterable[str]) -> SearchManifest:
        """An indexer's batch committed: its new segment appended, its deleted conversations forgotten."""
        new = frozenset(forgotten) - self.tombstones
        return replace(
            self,
            segments=(*self.segments, segment) if segment else self.segments,
            tombstones=self.tombstones | new,
            tombstone_count=self.tombstone_count + len(new),
        )

    def needs_tombstones(self) -> bool:
        """A merge is due: its plan needs every tombstone (they are read then, and only then)."""
        return self.tombstone_count > 0 and (len(self.segments) > MAX_SEGMENTS or self.tombstone_count > MAX_TOMBSTONES)

    def merge_plan(self) -> MergePlan | None:
        if self.tombstone_count > MAX_TOMBSTONES and self.segments:
            return MergePlan(self.segments, self.tombstones)
        if len(self.segments) <= MAX_SEGMENTS:
            return None
        start = len(self.segments) - 2
        total = self.segments[-1].docs + self.segments[-2].docs
        while start > 0 and self.segments[start - 1].docs <= total:
            start -= 1
            total += self.segments[start].docs
        return MergePlan(self.segments[start:], self.tombstones)

    def merged(self, plan: MergePlan, into: SegmentRef | None) -> SearchManifest | None:
        """The manifest with the plan's segments replaced by `into` (None: nothing was left in them),
        or None if they are no longer a run of this manifest (another merge came first). The
        tombstones the merge applied are dropped if it covered every live segment (none added
        since): no document of theirs is left; those added since stay."""
        keys = [s.key for s in self.segments]
        wanted = [s.key for s in plan.segments]
        try:
            start = keys.index(wanted[0])
        except ValueError:
            return None
        if keys[start : start + len(wanted)] != wanted:
            return None
        every = start == 0 and start + len(wanted) == len(keys)
        return replace(
            self,
            segments=(*self.segments[:start], *([into] if into else []), *self.segments[start + len(wanted) :]),
            tombstones=self.tombstones - plan.forgotten if every else self.tombstones,
            tombstone_count=max(self.tombstone_count - len(plan.forgotten), 0) if every else self.tombstone_count,
            dropped=plan.forgotten if every else frozenset(),
        )

"""The search index's commit point (issue 14, item 1): which segments merge, and what a merge keeps."""

from __future__ import annotations

from inbox.domain.search_manifest import MAX_SEGMENTS, MAX_TOMBSTONES, SearchManifest, SegmentRef


def manifest(*docs: int, tombstones: frozenset[str] = frozenset()) -> SearchManifest:
    refs = tuple(SegmentRef(f"t/search/seg-{n}.db", d, d * 100) for n, d in enumerate(docs))
    return SearchManifest("t", 3, refs, tombstones, tombstone_count=len(tombstones))


def test_a_few_segments_are_left_alone():
    assert manifest(*[1] * MAX_SEGMENTS).merge_plan() is None


def test_past_the_limit_the_newest_small_segments_merge_and_a_big_old_one_stays():
    plan = manifest(10_000, 50, 8, 4, 2, 1, 1, 1, 1).merge_plan()
    assert [s.docs for s in plan.segments] == [8, 4, 2, 1, 1, 1, 1]  # 50 is more than they hold together


def test_every_segment_merges_when_too_many_conversations_are_forgotten():
    gone = frozenset(f"c{n}" for n in range(MAX_TOMBSTONES + 1))
    plan = manifest(10, 5, tombstones=gone).merge_plan()
    assert len(plan.segments) == 2
    assert plan.forgotten == gone


def test_a_merge_replaces_its_run_and_drops_the_tombstones_only_when_it_covered_every_segment():
    before = manifest(*[1] * (MAX_SEGMENTS + 1), tombstones=frozenset({"gone"}))
    plan = before.merge_plan()
    assert len(plan.segments) == MAX_SEGMENTS + 1
    into = SegmentRef("t/search/seg-merged.db", 9, 900)
    after = before.merged(plan, into)
    assert after.segments == (into,)
    assert after.tombstones == frozenset()
    assert (after.tombstone_count, after.dropped) == (0, {"gone"})  # removed once this commit is done
    # A tombstone and a segment added meanwhile: the merge still applies, and both stay.
    meanwhile = before.with_batch(SegmentRef("t/search/seg-new.db", 1, 100), ["later"])
    kept = meanwhile.merged(plan, into)
    assert kept.segments == (into, meanwhile.segments[-1])
    assert kept.tombstones == {"gone", "later"}
    assert (kept.tombstone_count, kept.dropped) == (2, frozenset())


def test_a_merge_whose_segments_changed_meanwhile_does_not_apply():
    before = manifest(*[1] * (MAX_SEGMENTS + 1))
    plan = before.merge_plan()
    other = before.merged(plan, SegmentRef("t/search/seg-other.db", 9, 900))
    assert other.merged(plan, SegmentRef("t/search/seg-mine.db", 9, 900)) is None


def test_a_merge_that_leaves_nothing_names_no_segment():
    before = manifest(*[1] * (MAX_SEGMENTS + 1))
    assert before.merged(before.merge_plan(), None).segments == ()


def test_the_tombstones_are_wanted_only_when_a_merge_is_due():
    # Issue 14 review, search item 8: the manifest counts them; their ids are read for merges only.
    assert not manifest(1, 1, tombstones=frozenset({"gone"})).needs_tombstones()
    assert manifest(*[1] * (MAX_SEGMENTS + 1), tombstones=frozenset({"gone"})).needs_tombstones()
    assert not manifest(*[1] * (MAX_SEGMENTS + 1)).needs_tombstones()
    assert manifest(1).with_batch(None, ["a", "b"]).tombstone_count == 2

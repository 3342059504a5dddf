"""The search index's segments (issue 14, item 1): immutable SQLite FTS5 files in the blob bucket under
`<tenant>/search/seg-<id>.db`, read from a /tmp cache by key (a segment never changes once written,
so a cached copy is never stale and is never checked again; the least recently used go past 60 % of
/tmp, whose size is the function's EphemeralStorage).

A segment holds one FTS5 table of documents (tokenizer `unicode61 remove_diacritics 2`, prefix indexes
of 2 and 3 characters, so a prefix query reads a short list) and `doc_ids`, the ids it holds, by which
a newer segment's document hides an older one's. Rank: BM25 (subject weighs most, then people and
numbers, then the text; each word's rarity counted across every live segment) times a recency factor
from 2 (today) down towards 1 (months ago), over the newest RANKED matches of each segment (rows are
written in time order, so those are a rowid range)."""

from __future__ import annotations

import math
import os
import shutil
import sqlite3
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from inbox.adapters.search_passage import MARK_END, MARK_START, passage
from inbox.domain.blob_keys import search_prefix, search_segment_key
from inbox.domain.ids import new_id
from inbox.domain.search_manifest import SegmentRef
from inbox.domain.search_text import SearchDocument, indexed_form, match_phrases
from inbox.errors import TransientError


class SearchIndexTooLargeError(TransientError):
    """The segments one search or one merge needs do not fit this instance's /tmp cache: a 503 with
    this reason (never a 500), and a merge left for a later batch."""


CACHE_DIR = os.path.join(tempfile.gettempdir(), "search-segments")  # /tmp on Lambda
CACHE_SHARE = 0.6  # of /tmp's size (512 MB on Lambda unless EphemeralStorage says more)
OPEN_SEGMENTS = 32  # connections kept open between requests
RECENCY_DAYS = 30.0  # a month-old document weighs 3/4 of today's, a year-old one little more than half
RECENCY = RECENCY_DAYS * 86_400  # in seconds
MIN_IDF = 1e-6  # what FTS5's bm25() gives a phrase in half the documents or more
COLUMNS = ("subject", "text", "contact", "emails", "phones")
WEIGHTS = "4.0, 1.0, 2.0, 2.0, 2.0"  # bm25's per column, in COLUMNS' order
_SCHEMA = f"""
CREATE VIRTUAL TABLE docs USING fts5(
    {", ".join(COLUMNS)}, doc_id UNINDEXED, conversation_id UNINDEXED, message_id UNINDEXED, at UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE TABLE doc_ids (doc_id TEXT PRIMARY KEY) WITHOUT ROWID;
"""
_FIELDS = (*COLUMNS, "doc_id", "conversation_id", "message_id", "at")
# The statements are built from the constants above only, never from what a person typed (a query is a
# bound MATCH parameter, made safe by domain/search_text.py).
_INSERT = f"INSERT INTO docs({', '.join(_FIELDS)}) VALUES ({', '.join('?' * len(_FIELDS))})"  # noqa: S608
_TAKEN = f"CREATE TEMP TABLE taken ({', '.join(_FIELDS)})"
_COPY_NEWEST = (
    f"INSERT INTO taken SELECT {', '.join(_FIELDS)} FROM source.docs AS d"  # noqa: S608
    " WHERE d.conversation_id NOT IN (SELECT conversation_id FROM forgotten)"
    " AND NOT EXISTS (SELECT 1 FROM main.doc_ids AS k WHERE k.doc_id = d.doc_id)"
)
_IN_TIME_ORDER = f"INSERT INTO docs({', '.join(_FIELDS)}) SELECT * FROM taken ORDER BY at"  # noqa: S608
# Rows are written oldest first, so rowids follow time: the newest RANKED matches are a rowid range,
# found without ranking, and only they are ranked (a word in half of 200,000 messages ranks 5,000).
_NEWEST_FLOOR = "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?"
_MATCHING = "SELECT rowid, doc_id, conversation_id, message_id, at FROM docs WHERE docs MATCH ? AND rowid >= ?"
# One phrase's BM25 part: this segment's IDF times the phrase's frequency part (what global_bm25 takes).
_PHRASE_SCORES = f"SELECT rowid, -bm25(docs, {WEIGHTS}) FROM docs WHERE docs MATCH ? AND rowid >= ?"  # noqa: S608
_PHRASE_DOCS = "SELECT count(*) FROM docs WHERE docs MATCH ?"
RANKED = 5_000  # the newest matches of a segment that are ranked


@dataclass(frozen=True)
class Candidate:
    """A document that matched, in one segment (`rowid` there): for ranking, then its snippet."""

    score: float
    doc_id: str
    conversation_id: str
    message_id: str | None
    at: datetime
    segment: str
    rowid: int


class SearchSegments:
    def __init__(self, client: Any, bucket: str, cache_dir: str = CACHE_DIR, cache_bytes: int | None = None):
        self._client = client
        self._bucket = bucket
        self._dir = cache_dir
        os.makedirs(cache_dir, exist_ok=True)
        self._cache_bytes = cache_bytes or int(shutil.disk_usage(cache_dir).total * CACHE_SHARE)
        self._open: OrderedDict[str, sqlite3.Connection] = OrderedDict()  # by file path
        self._in_use: set[str] = set()  # file paths a search or a merge is reading: never evicted
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ writing

    def write(self, tenant_id: str, documents: Sequence[SearchDocument]) -> SegmentRef:
        """A new segment of these documents (the last of a doc_id wins), uploaded, and kept in the cache."""
        key = search_segment_key(tenant_id, new_id())
        path = self._building(key)
        with closing(sqlite3.connect(path)) as db:
            _create(db)
            latest = {d.doc_id: d for d in documents}
            db.executemany(_INSERT, [_row(d) for d in sorted(latest.values(), key=lambda d: d.at)])
            db.executemany("INSERT INTO doc_ids VALUES (?)", [(d,) for d in latest])
            _finish(db)
        return self._upload(key, path, len(latest))

    def merge(self, tenant_id: str, segments: Sequence[SegmentRef], forgotten: Iterable[str]) -> SegmentRef | None:
        """One segment with the newest version of every document of `segments` (oldest first), but
        those of forgotten conversations; None if nothing is left."""
        key = search_segment_key(tenant_id, new_id())
        path = self._building(key)
        self._room_to_merge(segments)
        with self._using(tenant_id, segments) as sources:
            count = self._merged_into(path, sources, forgotten)
        if not count:
            os.remove(path)
            return None
        return self._upload(key, path, count)

    def _merged_into(self, path: str, sources: Sequence[str], forgotten: Iterable[str]) -> int:
        with closing(sqlite3.connect(path)) as db:
            _create(db)
            db.execute("CREATE TEMP TABLE forgotten (conversation_id TEXT PRIMARY KEY) WITHOUT ROWID")
            db.executemany("INSERT OR IGNORE INTO forgotten VALUES (?)", [(c,) for c in forgotten])
            db.execute(_TAKEN)
            for source in reversed(sources):  # newest first: a document already taken hides older versions
                db.execute("ATTACH DATABASE ? AS source", (source,))
                db.execute(_COPY_NEWEST)
                db.execute("INSERT OR IGNORE INTO main.doc_ids SELECT doc_id FROM source.doc_ids")
                db.commit()
                db.execute("DETACH DATABASE source")
            db.execute(_IN_TIME_ORDER)
            db.commit()
            count = db.execute("SELECT count(*) FROM docs").fetchone()[0]
            _finish(db)
        return count

    def _room_to_merge(self, segments: Sequence[SegmentRef]) -> None:
        """A merge holds its sources and its output (about their size) in the cache, and VACUUM copies
        the output once more on the disk: checked before anything is downloaded."""
        total = sum(s.size for s in segments)
        if 2 * total > self._cache_bytes:
            raise SearchIndexTooLargeError(
                f"search index: merging {total} bytes of segments needs twice that in a /tmp cache of"
                f" {self._cache_bytes} bytes"
            )
        self._evict(keep=(), room=2 * total)
        free = shutil.disk_usage(self._dir).free
        missing = sum(s.size for s in segments if not os.path.exists(self._path(s.key)))
        if free < missing + 2 * total:
            raise SearchIndexTooLargeError(
                f"search index: {free} bytes free in /tmp, a merge needs {missing + 2 * total}"
            )

    # ------------------------------------------------------------------ reading

    def candidates(
        self, tenant_id: str, segments: Sequence[SegmentRef], match: str, now: datetime, limit: int
    ) -> list[Candidate]:
        """The best `limit` documents of each segment for `match` (among its newest RANKED matches), best
        first overall; a document that a newer segment holds too is left out (its current version is there).

        BM25 weighs each phrase of the query by how rare it is in the WHOLE index (every live segment's
        documents), not in its own segment: FTS5's bm25() alone counts within its segment, where a fresh
        message sits in a batch of a few and its words weigh almost nothing (it ranked last)."""
        total = sum(s.size for s in segments)
        if total > self._cache_bytes:
            raise SearchIndexTooLargeError(
                f"search index: this tenant's {total} bytes of segments do not fit this instance's /tmp cache"
                f" ({self._cache_bytes} bytes)"
            )
        with self._using(tenant_id, segments):  # one segment opened never evicts another of this search
            return self._ranked(tenant_id, segments, match_phrases(match), match, now, limit)

    def _ranked(
        self, tenant_id: str, segments: Sequence[SegmentRef], phrases: list[str], match: str, now: datetime, limit: int
    ) -> list[Candidate]:
        opened = [(s, self._connection(tenant_id, s.key)) for s in reversed(segments)]  # newest first
        stats = [_segment_stats(db, s.docs, phrases) for s, db in opened]
        hits_everywhere = [sum(n) for n in zip(*(s.hits for s in stats), strict=True)]
        everywhere = PhraseStats(sum(s.rows for s in stats), hits_everywhere)
        found: list[Candidate] = []
        newer: list[sqlite3.Connection] = []
        for (segment, db), local in zip(opened, stats, strict=True):
            floor_row = db.execute(_NEWEST_FLOOR, (match, RANKED - 1)).fetchone()
            floor = floor_row[0] if floor_row else 0
            rows = db.execute(_MATCHING, (match, floor)).fetchall()
            relevance = _relevance(db, phrases, floor, local, everywhere)
            scored = []
            for rowid, doc_id, conversation_id, message_id, at in rows:
                score = relevance.get(rowid, 0.0) * (1.0 + 1.0 / (1.0 + max(now.timestamp() - at, 0) / RECENCY))
                at_time = datetime.fromtimestamp(at, UTC)
                scored.append(Candidate(score, doc_id, conversation_id, message_id, at_time, segment.key, rowid))
            scored.sort(key=lambda c: (-c.score, -c.at.timestamp()))
            # The best `limit` whose document no newer segment holds (looked up for those only).
            current = (c for c in scored if not any(_holds(other, c.doc_id) for other in newer))
            found += [c for _, c in zip(range(limit), current, strict=False)]
            newer.append(db)
        found.sort(key=lambda c: (-c.score, -c.at.timestamp()))
        return found

    def snippet(self, tenant_id: str, candidate: Candidate, match: str) -> list[tuple[str, bool]]:
        """The passage of a document that matched: (text, matched) parts, in order."""
        return passage(self._connection(tenant_id, candidate.segment), candidate.rowid, match)

    # ------------------------------------------------------------------ the /tmp cache

    def _connection(self, tenant_id: str, key: str) -> sqlite3.Connection:
        path = self._path(key)
        with self._lock:
            if path in self._open:
                self._open.move_to_end(path)
                return self._open[path]
        self._local(tenant_id, key)
        db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        with self._lock:
            self._open[path] = db
            while len(self._open) > OPEN_SEGMENTS:
                self._open.popitem(last=False)[1].close()
        return db

    @contextmanager
    def _using(self, tenant_id: str, segments: Sequence[SegmentRef]) -> Iterator[list[str]]:
        """The segments' files, downloaded if need be and kept out of eviction until the block ends."""
        paths = [self._path(s.key) for s in segments]
        with self._lock:
            pinned = set(paths) - self._in_use
            self._in_use |= pinned
        try:
            yield [self._local(tenant_id, s.key) for s in segments]
        finally:
            with self._lock:
                self._in_use -= pinned

    def _path(self, key: str) -> str:
        return os.path.join(self._dir, key.replace("/", "__"))

    def _local(self, tenant_id: str, key: str) -> str:
        """The segment's file in the cache, downloaded if it is not there yet."""
        if not key.startswith(search_prefix(tenant_id)):  # a manifest only ever names its tenant's
            raise PermissionError(f"{key} is not a segment of this tenant")
        path = self._path(key)
        if os.path.exists(path):
            os.utime(path)  # recently used: evicted last
            return path
        os.makedirs(self._dir, exist_ok=True)
        partial = f"{path}.{new_id()}.part"
        try:
            self._client.download_file(self._bucket, key, partial)
        except ClientError as error:
            raise TransientError(f"S3 get {key}: {error.response['Error']['Code']}") from error
        os.replace(partial, path)
        self._evict(keep=(path,))
        return path

    def _building(self, key: str) -> str:
        os.makedirs(self._dir, exist_ok=True)
        return self._path(key)

    def _upload(self, key: str, path: str, docs: int) -> SegmentRef:
        size = os.path.getsize(path)
        try:
            with open(path, "rb") as body:
                self._client.put_object(Bucket=self._bucket, Key=key, Body=body, ContentType="application/vnd.sqlite3")
        except ClientError as error:
            raise TransientError(f"S3 put {key}: {error.response['Error']['Code']}") from error
        self._evict(keep=(path,))
        return SegmentRef(key, docs, size)

    def _evict(self, keep: Collection[str], room: int = 0) -> None:
        """Least recently used segments out of the cache past its size less `room`, but those in use.
        An evicted file's connection is closed first: an open file removed keeps its disk space, which
        the cache would no longer count (/tmp filled up)."""
        with self._lock:
            spared = self._in_use | set(keep)
            files = [os.path.join(self._dir, f) for f in os.listdir(self._dir) if f.endswith(".db")]
            stats = sorted(((os.stat(f), f) for f in files), key=lambda pair: pair[0].st_mtime)
            total = sum(s.st_size for s, _ in stats)
            for stat, path in stats:
                if total <= self._cache_bytes - room:
                    break
                if path not in spared:
                    connection = self._open.pop(path, None)
                    if connection is not None:
                        connection.close()
                    os.remove(path)
                    total -= stat.st_size


def _create(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.executescript(_SCHEMA)


def _finish(db: sqlite3.Connection) -> None:
    """Merge the FTS b-trees into one and pack the file: a segment is read many times, written once."""
    db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    db.commit()
    db.execute("VACUUM")


def _row(d: SearchDocument) -> tuple[Any, ...]:
    words = (_clean(d.subject), _clean(d.text), _clean(d.contact), _clean(d.emails), d.phones)
    return (*words, d.doc_id, d.conversation_id, d.message_id, d.at.timestamp())


@dataclass(frozen=True)
class PhraseStats:
    """How many documents there are (`rows`) and how many hold each phrase of a query (`hits`)."""

    rows: int
    hits: list[int]


def _segment_stats(db: sqlite3.Connection, rows: int, phrases: Sequence[str]) -> PhraseStats:
    """`rows`: the segment's documents, as the manifest counts them (count(*) would read every row)."""
    return PhraseStats(rows, [db.execute(_PHRASE_DOCS, (phrase,)).fetchone()[0] for phrase in phrases])


def _idf(rows: int, hits: int) -> float:
    """FTS5's bm25() IDF, floored as it floors it."""
    return max(math.log((rows - hits + 0.5) / (hits + 0.5)), MIN_IDF)


def _relevance(
    db: sqlite3.Connection, phrases: Sequence[str], floor: int, local: PhraseStats, everywhere: PhraseStats
) -> dict[int, float]:
    """BM25 of the segment's rows from `floor` on, with every phrase's IDF across the whole index: FTS5's
    score of a one-phrase query is that phrase's IDF in the segment times its frequency part, so the
    part is the score over the local IDF, weighed again by the global one (rows that lack a phrase get
    nothing from it, as in bm25())."""
    scores: dict[int, float] = {}
    for number, phrase in enumerate(phrases):
        reweigh = _idf(everywhere.rows, everywhere.hits[number]) / _idf(local.rows, local.hits[number])
        for rowid, score in db.execute(_PHRASE_SCORES, (phrase, floor)):
            scores[rowid] = scores.get(rowid, 0.0) + score * reweigh
    return scores


def _holds(db: sqlite3.Connection, doc_id: str) -> bool:
    return db.execute("SELECT 1 FROM doc_ids WHERE doc_id = ?", (doc_id,)).fetchone() is not None


def _clean(text: str) -> str:
    return indexed_form(text).replace(MARK_START, " ").replace(MARK_END, " ")

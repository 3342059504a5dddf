"""Email parse: the fast path (fast_mime.py, Rust mailparse) against the standard library's, message by message.

For the benchmark's generated mailbox (mail_corpus.py) and each shared real-world corpus (read in place
from ../shared/corpora/email), prints the milliseconds per message of the old path (`parse_email(raw,
fast=False)`: the standard library only) and of the new one (`parse_email(raw)`), their ratio, how many
messages took the fast path and why the others fell back, and every field in which the two results
differ. Timings are CPU time, the best of `--repeats` interleaved runs in this process; they vary with the
machine, the ratio much less. Goal: no message read worse (every difference is one of EXPLAINED_DIFFERENCES);
exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.mail_corpus import generate
from inbox.domain.email.parse import ParsedEmail, parse_email, parse_email_traced

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "email"
# (corpus, message) -> {field: why the new reading is as good or better}. Empty: where the two readers were
# seen to differ (quoted-printable, which mailparse decodes its own way; a quoted file name cut at a ';')
# fast_mime.py decodes as the standard library does or declines, so the results are equal field for field.
EXPLAINED_DIFFERENCES: dict[tuple[str, str], dict[str, str]] = {}
FIRST_DIFFERENCES = 5


@dataclass
class Corpus:
    name: str
    messages: list[tuple[str, bytes]]


@dataclass
class Comparison:
    corpus: str
    messages: int
    old_ms: float = 0.0  # per message, best run
    new_ms: float = 0.0
    fallbacks: Counter[str] = field(default_factory=Counter)
    differences: list[tuple[str, str, str]] = field(default_factory=list)  # (message, field, detail)
    explained: int = 0

    @property
    def fast(self) -> int:
        return self.messages - sum(self.fallbacks.values())

    @property
    def worse(self) -> list[tuple[str, str, str]]:
        return [
            item for item in self.differences if item[1] not in EXPLAINED_DIFFERENCES.get((self.corpus, item[0]), {})
        ]


def corpora(messages: int, seed: int, root: Path = CORPORA) -> list[Corpus]:
    """The generated mailbox, then each shared corpus (help desks' .eml files, Zammad's .box files)."""
    found = [
        Corpus(
            f"benchmark ({messages:,} generated)",
            [(f"#{n}", raw) for n, raw in enumerate(generate(messages, seed).raws)],
        )
    ]
    helpdesks = sorted(root.glob("*/*.eml"))
    if helpdesks:
        found.append(
            Corpus(
                "help desks (chatwoot, freescout)", [(f"{p.parent.name}/{p.name}", p.read_bytes()) for p in helpdesks]
            )
        )
    zammad = sorted(root.glob("zammad/*.box"))
    if zammad:
        found.append(Corpus("zammad", [(p.name, p.read_bytes()) for p in zammad]))
    return found


def differences(old: ParsedEmail, new: ParsedEmail) -> list[tuple[str, str]]:
    """(field, detail) for each field of ParsedEmail in which the two readings differ."""
    found = []
    for item in dataclasses.fields(ParsedEmail):
        before, after = getattr(old, item.name), getattr(new, item.name)
        if before != after:
            found.append((item.name, f"{_short(before)} -> {_short(after)}"))
    return found


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def compare(corpus: Corpus, repeats: int) -> Comparison:
    result = Comparison(corpus.name, len(corpus.messages))
    raws = [raw for _, raw in corpus.messages]
    old_runs, new_runs = [], []
    for _ in range(repeats):  # interleaved, so a slow moment of the machine hits both
        old_runs.append(_seconds(raws, fast=False))
        new_runs.append(_seconds(raws, fast=True))
    result.old_ms = min(old_runs) / len(raws) * 1000
    result.new_ms = min(new_runs) / len(raws) * 1000
    for name, raw in corpus.messages:
        new, fallback = parse_email_traced(raw)
        if fallback is not None:
            result.fallbacks[fallback] += 1
            continue  # the stdlib read it: the same reading by construction
        for field_name, detail in differences(parse_email(raw, fast=False), new):
            result.differences.append((name, field_name, detail))
    result.explained = len(result.differences) - len(result.worse)
    return result


def _seconds(raws: list[bytes], fast: bool) -> float:
    """CPU seconds of this process: the parse is single-threaded CPU work, and on a shared machine the
    wall clock also counts the time other processes held the cores."""
    start = time.process_time()
    for raw in raws:
        parse_email(raw, fast=fast)
    return time.process_time() - start


def report(results: list[Comparison]) -> tuple[str, bool]:
    lines = [
        "Email parse: the standard library's (old) against the fast path with the stdlib as fallback (new)",
        "",
        f"   {'corpus':<36}{'messages':>9}{'old ms/msg':>12}{'new ms/msg':>12}{'old/new':>9}"
        f"{'fast':>7}{'fallback':>10}",
    ]
    for result in results:
        ratio = result.old_ms / result.new_ms if result.new_ms else float("inf")
        lines.append(
            f"   {result.corpus:<36}{result.messages:>9,}{result.old_ms:>12.3f}{result.new_ms:>12.3f}"
            f"{ratio:>8.1f}x{result.fast:>7,}{sum(result.fallbacks.values()):>10,}"
        )
    for result in results:
        lines += ["", f"{result.corpus}: fell back to the standard library"]
        lines += [f"   {count:>6,}  {reason}" for reason, count in result.fallbacks.most_common()] or ["        none"]
        lines.append(
            f"{result.corpus}: {len(result.differences)} differences ({result.explained} explained, "
            f"{len(result.worse)} read worse)"
        )
        lines += [
            f"   {name}: {field_name}: {detail}" for name, field_name, detail in result.differences[:FIRST_DIFFERENCES]
        ]
    worse = sum(len(result.worse) for result in results)
    ok = worse == 0
    lines += [
        "",
        f"goal: no message read worse than by the standard library: {worse} read worse  {'PASS' if ok else 'FAIL'}",
    ]
    return "\n".join(lines), ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000, help="generated messages (5000)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each path; the best counts (3)")
    parser.add_argument("--seed", type=int, default=2026, help="of the generated mail (2026)")
    args = parser.parse_args(argv)
    parse_email(b"From: a@example.com\r\n\r\nwarm-up")  # imports on first use: not a message's cost
    results = []
    for corpus in corpora(args.messages, args.seed):
        print(f"  {corpus.name}: {len(corpus.messages):,} messages", file=sys.stderr)
        results.append(compare(corpus, args.repeats))
    text, ok = report(results)
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

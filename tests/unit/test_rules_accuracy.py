"""A realistic folder set on 40 labelled messages (French and English): how often the rules are right.

Prints the accuracy per label so a change to the rule engine shows its effect; the floor keeps a
regression from passing unnoticed. The messages the rules cannot place are what the AI filter is for.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from inbox.domain.rules import FolderRules, MessageFacts, first_match, parse_rules

DATA = json.loads((Path(__file__).parents[1] / "data" / "labelled_messages.json").read_text())


def test_rules_file_the_labelled_messages(capsys):
    folders = [FolderRules(f["id"], parse_rules(f["rules"])) for f in DATA["folders"]]
    right, seen, wrong = Counter(), Counter(), []
    for message in DATA["messages"]:
        facts = MessageFacts(
            from_email=message["from"],
            subject=message["subject"],
            body=message["body"],
            channel="email",
            headers={k.lower(): v for k, v in message.get("headers", {}).items()},
        )
        chosen = first_match(folders, facts) or "none"
        seen[message["label"]] += 1
        if chosen == message["label"]:
            right[message["label"]] += 1
        else:
            wrong.append(f"  {message['label']:>12} -> {chosen:<12} {message['subject']}")
    accuracy = sum(right.values()) / sum(seen.values())
    with capsys.disabled():
        print(f"\nrules accuracy on {sum(seen.values())} labelled messages: {accuracy:.0%}")
        for label in sorted(seen):
            print(f"  {label:<12} {right[label]}/{seen[label]}")
        print("\n".join(wrong))
    assert len(DATA["messages"]) == 40
    assert accuracy >= 0.85

"""AI accuracy from the day counters: decisions kept, per day, decider and folder."""

from inbox.domain.stats import Accuracy, classification_accuracy


def test_accuracy_is_the_share_of_decisions_people_kept():
    rows = classification_accuracy(
        {
            "2026-11-23": {"classified:rule:f1": 4, "corrected:rule:f1": 1, "classified:ai:f2": 2, "messages_in": 9},
            "2026-11-24": {"corrected:ai:f2": 1},
        }
    )
    assert rows == [
        Accuracy("2026-11-23", "ai", "f2", 2, 0),
        Accuracy("2026-11-23", "rule", "f1", 4, 1),
        Accuracy("2026-11-24", "ai", "f2", 0, 1),
    ]
    assert [row.kept for row in rows] == [1.0, 0.75, None]

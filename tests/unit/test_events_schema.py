"""docs/events.schema.json and docs/events.md say what the event models are (issue 13, item 8)."""

import json

from helpers.events import REPO
from inbox.models.events import INBOX_EVENT, EventType, schema_document

DOCS = REPO / "docs"


def test_events_schema_file_is_the_one_the_models_generate():
    written = json.loads((DOCS / "events.schema.json").read_text())
    assert written == schema_document(), "regenerate it: see docs/events.md"


def test_events_doc_names_every_type_and_every_field_of_its_data():
    text = (DOCS / "events.md").read_text()
    for event_type in EventType:
        assert f"`{event_type}`" in text, event_type
    for variant in INBOX_EVENT.json_schema()["$defs"].values():
        data = variant.get("properties", {}).get("data", {}).get("$ref", "")
        if not data:
            continue
        fields = INBOX_EVENT.json_schema()["$defs"][data.rsplit("/", 1)[1]]["properties"]
        for name in fields:
            assert f"`{name}`" in text, name

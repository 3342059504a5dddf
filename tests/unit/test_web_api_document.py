"""The web app's API types are generated from web/src/api/openapi.json: it must be the API's own
document, so that a change of the API shows in the app's types (and `make web-check` runs tsc)."""

from __future__ import annotations

from pathlib import Path

from scripts.openapi_document import openapi_document

COMMITTED = Path(__file__).resolve().parents[2] / "web" / "src" / "api" / "openapi.json"


def test_the_web_apps_openapi_document_is_the_apis():
    assert openapi_document() == COMMITTED.read_text(encoding="utf-8"), (
        "the API changed: run `make api-types`, then fix what `make web-check` (tsc) finds in web/"
    )

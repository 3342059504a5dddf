"""`python scripts/openapi_document.py [OUT]`: write the API's OpenAPI document, as `/inbox/openapi.json`
serves it, without a running server (the web app's types are generated from it).

Builds the API function's resolver and asks it for the document; nothing is called, no AWS is needed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "layers" / "common"))

from inbox.http.api import DOCUMENT, create_app  # noqa: E402  (the layer is put on the path first)


def openapi_document() -> str:
    document = json.loads(create_app().get_openapi_json_schema(**DOCUMENT))
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> None:
    text = openapi_document()
    if len(argv) > 1:
        Path(argv[1]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv)

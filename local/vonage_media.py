"""The fake Vonage's side of media messages (image, audio, video, file): their shape as the Messages API
reference (shared/reference/vonage/messages-olympus.yml) documents it for WhatsApp, and the file itself,
fetched from its URL as Vonage fetches it when it sends, so a link that does not work fails here too.

Differences from Vonage: a link that cannot be fetched, or a file of a type the kind does not take, is
a 422 at once (Vonage accepts the request, then reports the failure in a `rejected` status webhook).
"""

from __future__ import annotations

import re
from typing import Any

# What each kind takes besides `url`, and the types of file, as the reference lists them for WhatsApp.
MEDIA_FIELDS = {"image": {"caption"}, "file": {"caption"}, "audio": set(), "video": set()}
MEDIA_CONTENT_TYPES = {
    "image": {"image/jpeg", "image/png"},
    "audio": {"audio/aac", "audio/mp4", "audio/amr", "audio/mpeg", "audio/ogg"},
    "video": {"video/mp4", "video/3gpp"},
    "file": {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    },
}
MAX_MEDIA_BYTES = 100_000_000
FETCH_SECONDS = 10


def media_problems(kind: str, channel: str | None, body: dict[str, Any]) -> list[dict[str, str]]:
    """`invalid_parameters` of a media send: an object with an http(s) `url`, only the documented fields."""
    media = body.get(kind)
    if not isinstance(media, dict):
        return [{"name": kind, "reason": "is required (an object with url)"}]
    invalid: list[dict[str, str]] = []
    url = media.get("url")
    if not isinstance(url, str) or not re.match(r"https?://[^\s/]+", url):
        invalid.append({"name": f"{kind}.url", "reason": "must be an http or https URL"})
    if not isinstance(media.get("caption", ""), str):
        invalid.append({"name": f"{kind}.caption", "reason": "must be a string"})
    if channel == "whatsapp":
        unknown = set(media) - {"url"} - MEDIA_FIELDS.get(kind, set())
        if unknown:
            invalid.append({"name": kind, "reason": f"unknown properties {sorted(unknown)}"})
    return invalid


def fetch_media(kind: str, url: str) -> tuple[tuple[bytes, str] | None, str | None]:
    """((bytes, content type), None) as fetched from `url`, or (None, why it cannot be sent)."""
    import requests  # the tests' and the local stack's (moto answers its presigned links in-process)

    try:
        response = requests.get(url, timeout=FETCH_SECONDS, allow_redirects=False, stream=True)
        data = response.raw.read(MAX_MEDIA_BYTES + 1, decode_content=True)
    except (requests.RequestException, OSError) as error:
        return None, f"could not be fetched ({type(error).__name__})"
    if response.status_code != 200:
        return None, f"could not be fetched (HTTP {response.status_code})"
    if len(data) > MAX_MEDIA_BYTES:
        return None, "is over 100 MB"
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in MEDIA_CONTENT_TYPES.get(kind, set()):
        return None, f"is {content_type or 'of no type'}, which a WhatsApp {kind} cannot be"
    return (data, content_type), None

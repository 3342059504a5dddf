"""The SPA's files from `web/`, served by the gateway for paths no route claims."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote

from .http_events import Request, Response, json_response


def static_file(web_dir: Path | None, raw_path: str) -> Path | None:
    """The file under web/ for this path (index.html for directories), never outside web/."""
    if web_dir is None or not web_dir.is_dir():
        return None
    root = web_dir.resolve()
    candidate = (root / unquote(raw_path).lstrip("/")).resolve()
    if not candidate.is_relative_to(root):
        return None
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def static_response(web_dir: Path | None, request: Request) -> Response:
    """The file a GET or HEAD asks for, else API Gateway's 404 for a path no route takes."""
    path = static_file(web_dir, request.raw_path) if request.method in ("GET", "HEAD") else None
    if path is None:
        return json_response(404, {"message": "Not Found"})
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
        content_type += "; charset=utf-8"
    return Response(200, [("content-type", content_type), ("cache-control", "no-cache")], path.read_bytes())

"""Which `Type: HttpApi` route takes a request, picked as API Gateway picks it (most specific first)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .function_specs import Route


@dataclass
class CompiledRoute:
    route: Route
    segments: list[str]
    greedy: str | None  # the name of a trailing {name+} variable

    @classmethod
    def of(cls, route: Route) -> CompiledRoute:
        if route.path == "$default":
            return cls(route, [], None)
        segments = route.path.strip("/").split("/")
        greedy = None
        if segments and re.fullmatch(r"\{[^}]+\+\}", segments[-1]):
            greedy = segments.pop()[1:-2]
        return cls(route, segments, greedy)

    def match(self, method: str, segments: list[str]) -> dict[str, str] | None:
        """Path parameters when this route takes the request, else None."""
        if self.route.method not in ("ANY", method):
            return None
        if self.route.path == "$default":
            return {}
        if self.greedy is None and len(segments) != len(self.segments):
            return None
        if self.greedy is not None and len(segments) <= len(self.segments):
            return None  # a greedy variable needs at least one segment
        params: dict[str, str] = {}
        for pattern, value in zip(self.segments, segments, strict=False):
            if pattern.startswith("{") and pattern.endswith("}"):
                if not value:
                    return None
                params[pattern[1:-1]] = value
            elif pattern != value:
                return None
        if self.greedy is not None:
            params[self.greedy] = "/".join(segments[len(self.segments) :])
        return params

    def rank(self) -> tuple[Any, ...]:
        """Smaller is more specific: full matches before greedy ones (longer prefix first), literal
        segments before variables, an explicit method before ANY, $default last."""
        literal = tuple(0 if not s.startswith("{") else 1 for s in self.segments)
        default = self.route.path == "$default"
        greedy = self.greedy is not None
        return (default, greedy, -len(self.segments) if greedy else 0, literal, self.route.method == "ANY")


def compile_routes(routes: Iterable[Route]) -> list[CompiledRoute]:
    return sorted((CompiledRoute.of(r) for r in routes), key=CompiledRoute.rank)


def split_path(raw_path: str) -> list[str]:
    return [unquote(s) for s in raw_path.strip("/").split("/")] if raw_path.strip("/") else []


def match_route(routes: list[CompiledRoute], method: str, raw_path: str) -> tuple[Route, dict[str, str]] | None:
    """The route API Gateway would pick for `method raw_path`, with its path parameters."""
    segments = split_path(raw_path)
    candidates = []
    for compiled in routes:
        params = compiled.match(method, segments)
        if params is not None:
            candidates.append((compiled.rank(), compiled.route, params))
    if not candidates:
        return None
    _, route, params = min(candidates, key=lambda c: c[0])
    return route, params

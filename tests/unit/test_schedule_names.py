"""Services name their one-time schedules with the domain's pure `schedule_name`, never through the
EventBridge Scheduler adapter (services depend on protocols and the domain, not on adapters)."""

from __future__ import annotations

import ast
from pathlib import Path

import inbox
from inbox.domain.schedule_names import MAX_NAME, schedule_name

SERVICES = Path(inbox.__file__).parent / "services"


def _imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_no_service_imports_the_schedules_adapter():
    offenders = sorted(p.name for p in SERVICES.glob("*.py") if "inbox.adapters.schedules" in _imported_modules(p))
    assert offenders == []


def test_the_services_that_schedule_name_through_the_domain():
    users = {p.name for p in SERVICES.glob("*.py") if "inbox.domain.schedule_names" in _imported_modules(p)}
    assert {"tasks.py", "nudges.py", "follow_ups.py", "snoozes.py"} <= users


def test_a_name_is_valid_for_the_scheduler_whatever_the_ids():
    name = schedule_name("followup", "tenant a/b" * 10, "id#1" * 20)
    assert len(name) <= MAX_NAME
    assert name.startswith("followup.")

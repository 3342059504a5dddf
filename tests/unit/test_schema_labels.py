"""One check for a one-line label (a task's title, a project's name or reference), shared by the schemas."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from inbox.http.schemas import projects, tasks
from inbox.http.schemas.shared import one_line


def test_one_line_keeps_a_label_without_its_spaces_and_refuses_breaks_and_blanks():
    assert one_line("  Call back  ") == "Call back"
    assert one_line(None) is None
    for bad, reason in (("a\nb", "must be one line"), ("a\rb", "must be one line"), ("a\0b", "must be one line")):
        with pytest.raises(ValueError, match=reason):
            one_line(bad)
    with pytest.raises(ValueError, match="must not be blank"):
        one_line("   ")


@pytest.mark.parametrize(
    ("schema", "field", "others"),
    [
        (tasks.TaskIn, "title", {"due_at": "2030-01-01T00:00:00Z"}),
        (tasks.TaskPatch, "title", {}),
        (projects.ProjectIn, "name", {}),
        (projects.ProjectIn, "external_ref", {"name": "P"}),
        (projects.ProjectPatch, "name", {}),
        (projects.ProjectPatch, "external_ref", {}),
    ],
)
def test_the_schemas_check_their_labels_with_it(schema, field, others):
    assert getattr(schema.model_validate({**others, field: " Label "}), field) == "Label"
    with pytest.raises(ValidationError, match="must be one line"):
        schema.model_validate({**others, field: "two\nlines"})


def test_no_schema_keeps_its_own_copy():
    assert not hasattr(projects, "_one_line")
    assert "_title" not in vars(tasks)

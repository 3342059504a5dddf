"""Projects, all of a tenant's in one partition, newest first (ids sort by creation time).

Stored form: a project's item is the Project under its keys, nothing more. Which conversations a
project holds is not here: each conversation names its project and is in its view (GSI7)."""

from __future__ import annotations

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import Table, decode_cursor, encode, fields_of, item_of, key, put, unmarshal
from inbox.errors import ConflictError, InvalidInputError, NotFoundError
from inbox.models.project import Project


class ProjectStore(Table):
    def get_project(self, tenant_id: str, project_id: str) -> Project | None:
        item = self._get(keys.projects_pk(tenant_id), keys.project_sk(project_id))
        return Project.model_validate(fields_of(item)) if item else None

    def create_project(self, project: Project) -> None:
        item = item_of(keys.projects_pk(project.tenant_id), keys.project_sk(project.id), "project", project)
        self._call("put_item", **put(self._table, item, "attribute_not_exists(PK)")["Put"])

    def replace_project(self, project: Project) -> None:
        """Write a changed project; one deleted meanwhile is not brought back."""
        item = item_of(keys.projects_pk(project.tenant_id), keys.project_sk(project.id), "project", project)
        try:
            self._call("put_item", **put(self._table, item, "attribute_exists(PK)")["Put"])
        except ConflictError as error:
            raise NotFoundError(f"project {project.id}") from error

    def list_projects(self, tenant_id: str, limit: int, cursor: str | None) -> tuple[list[Project], str | None]:
        """A page of the tenant's projects, newest first."""
        pk = keys.projects_pk(tenant_id)
        query = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": pk}, ":prefix": {"S": keys.PROJECT_PREFIX}},
            "ScanIndexForward": False,
            "Limit": limit,
            "ConsistentRead": True,
        }
        if cursor:
            sort_key = decode_cursor(cursor)
            if not (isinstance(sort_key, str) and sort_key.startswith(keys.PROJECT_PREFIX) and len(sort_key) < 100):
                raise InvalidInputError("cursor", "does not continue this list")
            query["ExclusiveStartKey"] = key(pk, sort_key)
        page = self._call("query", **query)
        items = [unmarshal(item) for item in page.get("Items", [])]
        last = items[-1]["SK"] if page.get("LastEvaluatedKey") and items else None
        return [Project.model_validate(fields_of(item)) for item in items], encode(last) if last else None

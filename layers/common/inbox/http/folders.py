"""`/inbox/folders`: everyone reads them with their counters; admins change them."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.domain.conversations import AUTOMATED_FOLDER, INBOX_FOLDER
from inbox.errors import InvalidInputError
from inbox.http.auth import principal_from_claims, require_admin
from inbox.http.schemas.conversations import ConversationOut
from inbox.http.schemas.folders import AssigneeViews, FolderIn, FolderList, FolderOut, FolderPreviewIn, FolderPreviewOut
from inbox.models import Principal
from inbox.models.whatsapp_template import TemplateChoice
from inbox.services.nudges import check_words

router = APIGatewayHttpRouter()
SYSTEM_NAMES = {INBOX_FOLDER: "Inbox", AUTOMATED_FOLDER: "Newsletters & automated"}


def caller() -> Principal:
    return principal_from_claims(router.current_event.request_context.authorizer.jwt_claim)


@router.get("/folders", tags=["folders"], summary="Folders in order, with their total and unread counters")
def list_folders() -> FolderList:
    folders, counters = wiring.folders().list(caller())

    def system(folder_id: str, position: int) -> FolderOut:
        return FolderOut(
            id=folder_id, name=SYSTEM_NAMES[folder_id], system=True, position=position, **counters.get(folder_id, {})
        )

    items = [system(INBOX_FOLDER, -1), *(FolderOut.of(f, counters) for f in folders), system(AUTOMATED_FOLDER, 10_001)]
    who = caller()
    mine, unassigned = wiring.folders().assignee_counters(who)
    unread = wiring.notifications().unread(who.tenant_id, who.user_id)
    return FolderList(items=items, views=AssigneeViews(mine=mine, unassigned=unassigned), notifications_unread=unread)


@router.post("/folders", tags=["folders"], status_code=201, summary="Add a folder (admins)")
def create_folder(folder: Annotated[FolderIn, Body()]) -> FolderOut:
    who = require_admin(caller())
    check_words(folder.nudge)
    check_nudge_template(who, folder)
    return FolderOut.of(wiring.folders().create(who, folder.fields()), {})


@router.post(
    "/folders/preview",
    tags=["folders"],
    summary="Which of the latest 200 conversations a rule would file (admins); nothing is saved",
)
def preview_folder_rules(preview: Annotated[FolderPreviewIn, Body()]) -> FolderPreviewOut:
    from inbox.services.folders import not_previewed

    who = require_admin(caller())
    matching, examined = wiring.folders().preview(who, preview.rules)
    return FolderPreviewOut(
        items=[ConversationOut.of(c) for c in matching], examined=examined, not_previewed=not_previewed(preview.rules)
    )


@router.put("/folders/<folder_id>", tags=["folders"], summary="Change a folder (admins); its conversations follow")
def update_folder(folder_id: Annotated[str, Path(max_length=64)], folder: Annotated[FolderIn, Body()]) -> FolderOut:
    who = require_admin(caller())
    stored_nudge = wiring.folders().get(who, folder_id).nudge
    check_words(folder.nudge, stored_nudge)
    stored = stored_nudge.template
    check_nudge_template(who, folder, unless=stored)
    fields = folder.fields()
    if folder.position is None:
        fields.pop("position")
    updated = wiring.folders().update(who, folder_id, fields)
    return FolderOut.of(updated, wiring.folders().list(who)[1])


@router.delete(
    "/folders/<folder_id>", tags=["folders"], summary="Remove a folder (admins); its conversations are filed again"
)
def delete_folder(folder_id: Annotated[str, Path(max_length=64)]) -> Response[None]:
    wiring.folders().delete(require_admin(caller()), folder_id)
    return Response(status_code=204)


def check_nudge_template(who: Principal, folder: FolderIn, unless: TemplateChoice | None = None) -> None:
    """A nudge's WhatsApp template must be approved somewhere, with its count of parameters (issue 16).
    Checked only when it is new (`unless`: the one the folder has): Meta may pause a template later,
    and a folder's other settings stay editable meanwhile (its nudge then tells a person)."""
    template = folder.nudge.template if folder.nudge else None
    if template is not None and template != unless:
        template.check_placeholders("nudge.template")  # filled when it fires
        try:
            wiring.whatsapp_templates().check_for_tenant(who, template.request())
        except InvalidInputError as refused:
            reason = str(refused).removeprefix(f"{refused.field}: ")
            raise InvalidInputError(f"nudge.{refused.field}", reason) from None

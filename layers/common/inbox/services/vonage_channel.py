"""SMS and WhatsApp through Vonage: replies out by the Messages API, customers' files fetched in."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Protocol

from inbox.adapters.vonage import Credentials, VonageRejectedError
from inbox.domain import filetypes
from inbox.domain.outbound_files import WHATSAPP_MEDIA
from inbox.errors import ConflictError, InvalidInputError, PermanentError, TransientError
from inbox.models import Attachment, Channel, Integration, Message, Party
from inbox.models.integration_settings import VonageSettings
from inbox.observability import logger

MAX_MEDIA_BYTES = 25_000_000  # WhatsApp's own ceiling is 100 MB for documents, 16 MB for media


class Secrets(Protocol):
    def secret(self, integration: Integration, field: str) -> str: ...


class VonageAccount(Protocol):
    """Vonage's API, signed in as one account."""

    def send(self, body: dict[str, Any]) -> str: ...
    def download(self, url: str, max_bytes: int) -> tuple[bytes, str | None]: ...
    def account_numbers(self) -> set[str]: ...


# The deployment's Vonage API (the VonageApiBaseUrl parameter) signed in with these credentials: never
# a host the tenant chose, which could vouch for any number or receive the API secret.
ConnectVonage = Callable[[Credentials], VonageAccount]


def credentials_of(integration: Integration, secrets: Secrets) -> Credentials:
    """The integration's Vonage account, its secrets opened for the call."""
    settings = integration.settings
    return Credentials(
        api_key=settings.api_key,
        api_secret=secrets.secret(integration, "api_secret"),
        application_id=settings.application_id,
        private_key=secrets.secret(integration, "private_key") if "private_key" in integration.secrets else None,
    )


def check_numbers(
    settings: VonageSettings, api_secret: str, connect: ConnectVonage, field: str = "sms_numbers"
) -> None:
    """Every SMS number must be one the account rents: a tenant cannot claim another's number (which
    would leave the real owner's messages failing its signature checks). WhatsApp senders are
    registered with Meta, not listed by Vonage's Numbers API, so they are not checked here."""
    wanted = settings.sms_numbers
    if not wanted:
        return
    credentials = Credentials(api_key=settings.api_key, api_secret=api_secret)
    try:
        rented = connect(credentials).account_numbers()
    except VonageRejectedError as error:
        raise InvalidInputError("api_secret", "Vonage refused this API key and secret") from error
    for n, number in enumerate(wanted):
        if number.lstrip("+") not in rented:
            raise InvalidInputError(f"{field}.{n}", f"{number} is not a number of this Vonage account")


class VonageSender:
    """The send path's channel for `sms` and `whatsapp` conversations."""

    def __init__(
        self,
        channel: Channel,
        secrets: Secrets,
        connect: ConnectVonage,
        media_url: Callable[[str], str] | None = None,
    ):
        self._channel = channel
        self._secrets = secrets
        self._connect = connect
        self._media_url = media_url  # a link Vonage fetches a reply's file from (presigned GET)

    def sender_party(self, integration: Integration, parent: Message | None) -> Party:
        # The number the customer wrote to answers them; else the integration's first for this channel.
        wrote_to = next((party.phone for party in (parent.to if parent else []) if party.phone), None)
        settings = integration.settings
        numbers = settings.whatsapp_numbers if self._channel is Channel.WHATSAPP else settings.sms_numbers
        number = wrote_to if wrote_to and wrote_to in numbers else next(iter(numbers), None)
        if number is None:
            raise InvalidInputError("conversation_id", f"the integration has no {self._channel} number to answer from")
        return Party(name=integration.name, phone=number)

    def message_id(self, integration: Integration, message_id: str) -> None:
        return None  # no Message-ID on SMS or WhatsApp: status webhooks find replies by message_uuid

    def send(self, integration: Integration, message: Message) -> str:
        recipient = next((party.phone for party in message.to if party.phone), None)
        if recipient is None or message.sender.phone is None:
            raise PermanentError("the conversation has no phone number to answer")
        envelope = {
            "to": recipient.lstrip("+"),
            "from": message.sender.phone.lstrip("+"),
            "channel": str(self._channel),
            "client_ref": message.id,
        }
        account = self._connect(credentials_of(integration, self._secrets))
        if not message.attachments:
            return account.send(envelope | self._content(message))
        return self._send_with_files(account, envelope, message)

    def _send_with_files(self, account: VonageAccount, envelope: dict[str, Any], message: Message) -> str:
        """The text, then each file as a media message of its own (image, audio, video or file, with a
        link Vonage fetches it from). The first send's id is the reply's: its status is the reply's."""
        if self._channel is not Channel.WHATSAPP or self._media_url is None:
            raise PermanentError(f"{self._channel} carries no file")
        bodies = [envelope | {"message_type": "text", "text": message.text}] if message.text.strip() else []
        for attachment in message.attachments:
            media = WHATSAPP_MEDIA.get(attachment.content_type)
            if media is None:
                raise PermanentError(f"WhatsApp does not carry {attachment.content_type}")
            bodies.append(envelope | {"message_type": media.kind, media.kind: {"url": self._media_url(attachment.key)}})
        ids: list[str] = []
        for body in bodies:
            try:
                ids.append(account.send(body))
            except (PermanentError, TransientError) as error:
                if not ids:
                    raise
                # Sending it again would repeat what went out: said, not retried.
                raise PermanentError(f"{len(ids)} of {len(bodies)} parts went out, then: {error}") from error
        return ids[0]

    def _content(self, message: Message) -> dict[str, Any]:
        """Free text, or (WhatsApp only) an approved template by name, its parameters in order ({{1}}
        first) and its locale: `deterministic` is the only policy WhatsApp still takes."""
        template = message.template
        if template is None:
            return {"message_type": "text", "text": message.text}
        if self._channel is not Channel.WHATSAPP:
            raise PermanentError(f"{self._channel} has no templates")
        return {
            "message_type": "template",
            "template": {"name": template.name, "parameters": list(template.parameters)},
            "whatsapp": {"policy": "deterministic", "locale": template.locale},
        }


class MediaStore(Protocol):
    def get_integration(self, tenant_id: str, integration_id: str) -> Integration | None: ...
    def get_message(
        self, tenant_id: str, conversation_id: str, received_at: datetime, message_id: str
    ) -> Message | None: ...
    def set_media(self, message: Message, attachments: list[Attachment], defects: list[str]) -> None: ...


class Blobs(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> str: ...


class Disposal(Protocol):
    def discard(self, tenant_id: str, keys: Iterable[str | None]) -> None: ...


class MediaFetcher:
    """Downloads the files of a message that arrived as links (WhatsApp images, documents, voice notes).

    Runs from a queue, after the webhook answered: a slow or large download never makes Vonage
    retry. Vonage's failures (429, 5xx) raise, so the queue retries and, in the end, keeps the job
    in its dead-letter queue; a file Vonage refuses or one over the limit is named on the message.
    """

    def __init__(
        self,
        store: MediaStore,
        blobs: Blobs,
        disposal: Disposal,
        secrets: Secrets,
        connect: ConnectVonage,
        max_bytes: int = MAX_MEDIA_BYTES,
    ):
        self._store = store
        self._blobs = blobs
        self._disposal = disposal
        self._secrets = secrets
        self._connect = connect
        self._max_bytes = max_bytes

    def fetch(self, tenant_id: str, conversation_id: str, message_id: str, received_at: datetime) -> int:
        """Fetch what is pending; the number of files stored (0 when there was nothing left to do)."""
        message = self._store.get_message(tenant_id, conversation_id, received_at, message_id)
        if message is None or not message.pending_media:
            return 0
        integration = self._store.get_integration(tenant_id, message.integration_id)
        if integration is None:
            return 0
        client = self._connect(credentials_of(integration, self._secrets))
        attachments, defects = list(message.attachments), list(message.defects)
        for n, media in enumerate(message.pending_media, start=len(attachments)):
            try:
                data, declared = client.download(media.url, self._max_bytes)
            except PermanentError as error:
                defects.append(f"{media.kind}: not downloaded ({error})")
                logger.warning("media not downloaded", message_id=message_id, kind=media.kind, reason=str(error))
                continue
            content_type = filetypes.content_type_of(data, filetypes.normalize_content_type(declared), media.name)
            filename = _filename(media.name, media.kind, content_type)
            key = self._blobs.put(f"{tenant_id}/attachments/{message_id}/{n}/{filename}", data, content_type)
            attachments.append(Attachment(filename=filename, content_type=content_type, size=len(data), key=key))
        try:
            self._store.set_media(message, attachments, defects)
        except ConflictError:  # the message was deleted while its files came: they go with it (by the purge worker)
            self._disposal.discard(tenant_id, [a.key for a in attachments[len(message.attachments) :]])
            return 0
        return len(attachments) - len(message.attachments)


def _filename(name: str | None, kind: str, content_type: str) -> str:
    """The sender's file name without any directory, else one made from the kind and the real type."""
    if name:
        bare = name.replace("\\", "/").rsplit("/", 1)[-1].strip(" .")
        bare = "".join(char for char in bare if char.isprintable() and char not in '<>:"|?*')[:200]
        if bare:
            return bare
    return f"{kind}.{filetypes.extension_for(content_type)}"

"""The AI's lookups (issue 16, item 1): admins register their business's endpoints (a shop's order
lookup, a booking system's) with a name, a description and parameters the model reads; the reply
writer offers the tenant's enabled ones as tools (`tools`) and makes the calls the model asks for
(`call`), each a POST signed with the lookup's secret exactly as we verify the custom webhooks we accept
(domain/signatures.py), through the outbound guard. The body is `{"parameters": {...}, "customer":
{"email": ..., "phone": ...}}`: the model's arguments, and who is asking as the channel vouches for it
(never what the customer wrote; null when unknown), both under the signature, so the endpoint can
answer only about that customer's own orders (the model cannot know whose order 12346 is).

A call never raises for the endpoint's failure (refused by the guard, timed out, non-2xx, not a JSON
object, too large): it is a LookupCall with ok=False and the reason, which the reply writer turns into
a held draft. An error of ours (the table, KMS) still raises."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from inbox.adapters.lookup_http import MAX_ANSWER_BYTES
from inbox.domain import signatures
from inbox.domain.ids import new_id
from inbox.domain.lookup_answers import failed_call, read_answer, summary_of
from inbox.domain.lookup_tools import ArgumentsError, checked_arguments
from inbox.errors import ConcurrentUpdateError, ConflictError, InvalidInputError, NotFoundError
from inbox.models import Principal
from inbox.models.ai_lookup import AiLookup, LookupCall, LookupCustomer
from inbox.observability import logger

MAX_LOOKUPS = 10  # per tenant: each is a tool offered with every reply the AI writes
SECRET_PREFIX = "lksec_"  # noqa: S105 (a prefix that says what the value is, not a secret)
LOOKUP_HEADER = "X-Inbox-Lookup"

Clock = Callable[[], datetime]


def secret_context(tenant_id: str, lookup_id: str) -> dict[str, str]:
    """The cipher's context: a secret copied onto another tenant's or lookup's item never opens."""
    return {"tenant_id": tenant_id, "lookup_id": lookup_id, "field": "lookup_secret"}


def body_of(arguments: dict[str, Any], customer: LookupCustomer | None = None) -> bytes:
    """What is POSTed and signed: the arguments and who is asking (fields null when unknown)."""
    envelope = {"parameters": arguments, "customer": (customer or LookupCustomer()).model_dump(mode="json")}
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode()


class AiLookups:
    def __init__(
        self,
        store: Any,
        cipher: Any,
        post: Callable[[str, bytes, dict[str, str]], Any],
        clock: Clock = lambda: datetime.now(UTC),
        timer: Callable[[], float] = time.monotonic,
    ):
        self._store = store
        self._cipher = cipher
        self._post = post
        self._now = clock
        self._timer = timer

    # ------------------------------------------------------------------ admins (the API)

    def list(self, who: Principal) -> list[AiLookup]:
        return self._store.lookups(who.tenant_id)

    def get(self, who: Principal, lookup_id: str) -> AiLookup:
        lookup = self._store.lookup(who.tenant_id, lookup_id)
        if lookup is None:
            raise NotFoundError("no such lookup")
        return lookup

    def create(
        self,
        who: Principal,
        name: str,
        description: str,
        parameters: dict[str, Any],
        endpoint: str,
        enabled: bool = True,
    ) -> tuple[AiLookup, str]:
        """A new lookup and its signing secret, in clear this once (stored sealed)."""
        existing = self._store.lookups(who.tenant_id)
        if len(existing) >= MAX_LOOKUPS:
            raise ConflictError(f"a tenant has at most {MAX_LOOKUPS} lookups: delete one first")
        _unique(name, existing)  # a lookup stored before names were claimed holds no claim
        now, lookup_id = self._now(), new_id()
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        lookup = AiLookup(
            id=lookup_id,
            tenant_id=who.tenant_id,
            name=name,
            description=description,
            parameters=parameters,
            endpoint=endpoint,
            enabled=enabled,
            secret=self._cipher.encrypt(secret, secret_context(who.tenant_id, lookup_id)),
            created_at=now,
            updated_at=now,
        )
        try:
            saved = self._store.save_lookup(lookup)
        except ConcurrentUpdateError as collided:  # twice, with a writer that has not (yet) taken the name
            raise LookupNameBusyError() from collided
        if not saved:  # another creation of the name won the race
            raise LookupNameTakenError(name)
        return lookup, secret

    def change(self, who: Principal, lookup_id: str, **changes: Any) -> AiLookup:
        """Change name, description, parameters, endpoint or enabled (what is None stays)."""
        lookup = self.get(who, lookup_id)
        given = {k: v for k, v in changes.items() if v is not None and k != "secret"}
        if "name" in given and given["name"] != lookup.name:
            _unique(given["name"], [other for other in self._store.lookups(who.tenant_id) if other.id != lookup.id])
        changed = AiLookup.model_validate(lookup.model_dump() | given | {"updated_at": self._now()})
        try:
            replaced = self._store.replace_lookup(changed, renamed_from=lookup.name)
        except ConcurrentUpdateError as collided:
            if changed.name == lookup.name:
                raise  # no name at stake: the general 409
            raise LookupNameBusyError() from collided
        if not replaced:
            raise LookupNameTakenError(changed.name)
        return changed

    def rotate_secret(self, who: Principal, lookup_id: str) -> tuple[AiLookup, str]:
        """A new signing secret, in clear this once; the old one signs nothing from now on."""
        lookup = self.get(who, lookup_id)
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        sealed = self._cipher.encrypt(secret, secret_context(lookup.tenant_id, lookup.id))
        changed = lookup.model_copy(update={"secret": sealed, "updated_at": self._now()})
        self._store.replace_lookup(changed)
        return changed, secret

    def delete(self, who: Principal, lookup_id: str) -> None:
        self.get(who, lookup_id)
        self._store.delete_lookup(who.tenant_id, lookup_id)

    def test(
        self, who: Principal, lookup_id: str, arguments: dict[str, Any], customer: LookupCustomer | None = None
    ) -> LookupCall:
        """Call a lookup now with sample arguments, as the AI would (even a disabled one), for a sample
        `customer` if given: what the settings screen shows. Arguments that do not fit its parameters
        are a 422 on `arguments` (the check the model's calls pass: lookup_tools.checked_arguments)."""
        lookup = self.get(who, lookup_id)
        try:
            checked = checked_arguments(lookup.parameters, arguments)
        except ArgumentsError as error:
            raise InvalidInputError("arguments", str(error)) from error
        return self._call(lookup, checked, customer)

    # ------------------------------------------------------------------ the reply writer

    def tools(self, tenant_id: str) -> list[AiLookup]:
        """The lookups the model may call for this tenant: its enabled ones, and no one else's. Of two
        of one name (both stored before the store claimed names) only the oldest: OpenAI refuses
        functions of one name, which would stop every reply of the tenant."""
        offered: dict[str, AiLookup] = {}
        for lookup in self._store.lookups(tenant_id):  # oldest first
            if lookup.enabled:
                offered.setdefault(lookup.name, lookup)
        return list(offered.values())

    def call(
        self, tenant_id: str, lookup: AiLookup, arguments: dict[str, Any], customer: LookupCustomer | None = None
    ) -> LookupCall:
        """One call the model asked for, for `customer` (the conversation's contact as the channel gives
        it). Never raises for the endpoint: a failure is ok=False with why. The arguments pass
        lookup_tools.checked_arguments, which lets those the reply writer had it check (arguments_of)
        through as they are: checked once, whoever calls."""
        if lookup.tenant_id != tenant_id:
            logger.warning("lookup call refused: another tenant's lookup", extra={"lookup_id": lookup.id})
            return LookupCall(name=lookup.name, arguments={}, ok=False, error="not this tenant's lookup")
        if not lookup.enabled:
            return failed_call(lookup.name, arguments, "the lookup is turned off")
        try:
            checked = checked_arguments(lookup.parameters, arguments)
        except ArgumentsError as error:
            return failed_call(lookup.name, arguments if isinstance(arguments, dict) else {}, f"arguments: {error}")
        return self._call(lookup, checked, customer)

    def _call(self, lookup: AiLookup, arguments: dict[str, Any], customer: LookupCustomer | None) -> LookupCall:
        secret = self._cipher.decrypt(lookup.secret, secret_context(lookup.tenant_id, lookup.id))
        body = body_of(arguments, customer)
        headers = {
            signatures.HEADER: signatures.sign(secret, body, int(self._now().timestamp())),
            LOOKUP_HEADER: lookup.name,
        }
        started = self._timer()
        answered = self._post(lookup.endpoint, body, headers)
        duration_ms = max(0, round((self._timer() - started) * 1000))
        if answered.status is None:
            answer, error = None, answered.error or "no answer"
        else:
            answer, error = read_answer(answered.status, answered.body, answered.too_large, MAX_ANSWER_BYTES)
        if error:
            logger.info(
                "lookup call failed",
                extra={"lookup_id": lookup.id, "lookup": lookup.name, "error": error, "duration_ms": duration_ms},
            )
        return LookupCall(
            name=lookup.name,
            arguments=arguments,
            ok=error is None,
            answer=answer,
            summary=summary_of(arguments, answer, error),
            error=error,
            duration_ms=duration_ms,
        )


class LookupNameTakenError(ConflictError):
    """Another lookup of the tenant has the name: a 409 naming `name`, as the contacts' claimed
    identities name their field, so that the form says it next to the name."""

    def __init__(self, name: str):
        super().__init__(f"name: another lookup is named {name}")


class LookupNameBusyError(ConflictError):
    """The name's claim collided twice with another write still under way: a 409 naming `name` all
    the same, so that the form says it next to the name (trying again settles it)."""

    def __init__(self) -> None:
        super().__init__("name: another change of this name was being saved at the same moment: try again")


def _unique(name: str, others: list[AiLookup]) -> None:
    if any(other.name == name for other in others):
        raise LookupNameTakenError(name)

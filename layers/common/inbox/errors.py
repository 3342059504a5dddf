"""The one error hierarchy: handlers map these to HTTP statuses, consumers to retry or not."""


class InboxError(Exception):
    """Base of every error the inbox raises on purpose."""


class NotFoundError(InboxError):
    """The thing does not exist, or belongs to another tenant (the caller cannot tell which)."""


class ConflictError(InboxError):
    """The change conflicts with the current state."""


class DuplicateDeliveryError(ConflictError):
    """This provider message was ingested already (into `conversation_id`, when that is known)."""

    def __init__(self, *args: object, conversation_id: str | None = None):
        super().__init__(*args)
        self.conversation_id = conversation_id


class ConcurrentUpdateError(ConflictError):
    """Someone else changed the item since it was read: read it again and retry."""


class ForbiddenError(InboxError):
    """The caller is known but their role does not allow this."""


class UnauthorizedError(InboxError):
    """No identity, or an identity that could not be verified."""


class SignatureError(UnauthorizedError):
    """A webhook's signature is missing, malformed, stale or wrong."""


class PayloadTooLargeError(InboxError):
    """A body over the accepted size."""


class InvalidInputError(InboxError):
    """Input that parses but makes no sense; names the field."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


class UnreadableRequestError(InvalidInputError):
    """A request that cannot be read at all (a body that is not text): 400, not 422."""


class UnsupportedMediaTypeError(InboxError):
    """A body in a format the route does not take."""


class TransientError(InboxError):
    """A provider failed in a way that may pass: retry."""


class PermanentError(InboxError):
    """A provider refused for good: record it, do not retry."""


class MalformedJobError(PermanentError):
    """A queue message that is not a job of its queue: retrying cannot mend it, so it ends in the
    dead-letter queue. Names the queue and what is wrong, never the values it carried."""


class AiNotConfiguredError(PermanentError):
    """The tenant has no AI model (no key of its own, none from the deployment): AI features say so."""


class CompanyPromptMissingError(PermanentError):
    """The tenant has not written its company prompt, which auto-replies require: nothing is sent."""

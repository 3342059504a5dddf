"""The keys of what helps answer (issue 16): the AI's lookups, saved replies, WhatsApp templates
read from Vonage. Re-exported by `keys`, where every store finds them: import `keys`, never this
module, so that `keys` stays the one place."""

from __future__ import annotations

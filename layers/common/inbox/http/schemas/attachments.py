"""Files a reply sends: the upload asked for, and a message forwarded."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class UploadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    filename: str = Field(min_length=1, max_length=255, description="As the person's file is named.")
    content_type: str = Field(min_length=3, max_length=255, description="Its media type, e.g. application/pdf.")
    size: int = Field(ge=1, description="In bytes; over the channel's limit is a 422 on `size`.")


class UploadOut(BaseModel):
    upload_id: str = Field(description="Put it in a reply's `attachments` once the file is posted.")
    url: str = Field(description="POST the file here as multipart/form-data: `fields` first, then `file`.")
    fields: dict[str, str] = Field(description="Form fields to send as given (key, Content-Type, policy, ...).")
    max_bytes: int = Field(description="The largest file S3 takes for this upload (the channel's limit).")
    expires_at: datetime = Field(description="Post the file before then; an upload never sent is removed a day on.")


class ForwardIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: str = Field(min_length=3, max_length=254, description="The address it is forwarded to.")
    note: str | None = Field(None, max_length=20_000, description="Written above the forwarded message.")

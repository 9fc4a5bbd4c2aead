"""What every answer shares: the base model, towns, ids of what was created."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from tosei_common.region.municipalities import municipality


class Out(BaseModel):
    # Unknown fields are refused so that a union of answers (public | staff) is told apart.
    model_config = ConfigDict(extra="forbid")


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


class Town(Out):
    code: str
    name: str

    @classmethod
    def of(cls, code: str | None) -> Town | None:
        return cls(code=code, name=municipality(code).name) if code else None


class Created(Out):
    id: str


class Done(Out):
    message: str

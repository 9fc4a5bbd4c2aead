"""Errors the services raise on purpose; the HTTP layer turns each into a JSON 4xx."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """An error with an HTTP status, a stable code and a message a person can act on."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.fields:
            body["fields"] = [{"field": k, "message": v} for k, v in self.fields.items()]
        body.update(self.extra)
        return body


class BadRequest(ServiceError):
    status = 400
    code = "bad_request"


class Unauthorized(ServiceError):
    status = 401
    code = "unauthorized"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class Unprocessable(ServiceError):
    status = 422
    code = "validation_failed"

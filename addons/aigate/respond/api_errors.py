"""Errors in each AI provider's own JSON shape, so official SDKs raise their usual exception.

With the provider's shape and status (403), the OpenAI and Anthropic SDKs raise
PermissionDeniedError carrying our message; `x-should-retry: false` stops them retrying, which
they otherwise do on some statuses. Bedrock's SDKs read the error type from `x-amzn-errortype`.

An allowed request whose site did not answer gets 502 (or 504 when it timed out) in the same
shape with `x-should-retry: true` and `retry-after` (`RETRYABLE_HEADERS`): the SDKs retry it after
that pause, as they would the provider's own 5xx.
"""

from __future__ import annotations

import json
from collections.abc import Callable

JSON_HEADERS = {"content-type": "application/json", "x-should-retry": "false"}
RETRY_AFTER_SECONDS = 2
# For answers the client should retry (the OpenAI and Anthropic SDKs read both headers).
RETRYABLE_HEADERS = {"x-should-retry": "true", "retry-after": str(RETRY_AFTER_SECONDS)}

_OPENAI_TYPES = {403: "permission_denied", 401: "authentication_error", 429: "rate_limit_error"}
_ANTHROPIC_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    504: "timeout_error",
    529: "overloaded_error",
}
_GOOGLE_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    413: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
_AWS_TYPES = {
    403: "AccessDeniedException",
    429: "ThrottlingException",
    500: "InternalServerException",
    503: "ServiceUnavailableException",
}


def _openai(status: int, message: str, code: str) -> dict[str, object]:
    kind = _OPENAI_TYPES.get(status, "invalid_request_error" if status < 500 else "server_error")
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def _anthropic(status: int, message: str, code: str) -> dict[str, object]:
    kind = _ANTHROPIC_TYPES.get(status, "invalid_request_error" if status < 500 else "api_error")
    return {"type": "error", "error": {"type": kind, "message": message}}


def _google(status: int, message: str, code: str) -> dict[str, object]:
    kind = _GOOGLE_STATUS.get(status, "FAILED_PRECONDITION" if status < 500 else "INTERNAL")
    return {"error": {"code": status, "message": message, "status": kind}}


def _message_only(status: int, message: str, code: str) -> dict[str, object]:
    return {"message": message}


def _huggingface(status: int, message: str, code: str) -> dict[str, object]:
    return {"error": message}


def _generic(status: int, message: str, code: str) -> dict[str, object]:
    return {"error": {"message": message, "code": code}}


_SHAPES: dict[str, Callable[[int, str, str], dict[str, object]]] = {
    "openai": _openai,
    "anthropic": _anthropic,
    "gemini": _google,
    "vertex": _google,
    "bedrock": _message_only,
    "cohere": _message_only,
    "huggingface": _huggingface,
}


def api_error(
    api_format: str | None, status: int, message: str, code: str
) -> tuple[bytes, dict[str, str]]:
    """Body and headers of an error for a client of `api_format` (catalog value; None: generic)."""
    shape = _SHAPES.get(api_format or "", _generic)
    body = json.dumps(shape(status, message, code), ensure_ascii=False).encode()
    headers = dict(JSON_HEADERS)
    if api_format == "bedrock":
        headers["x-amzn-errortype"] = _AWS_TYPES.get(
            status, "ValidationException" if status < 500 else "InternalServerException"
        )
    return body, headers


def text_error(message: str) -> tuple[bytes, dict[str, str]]:
    """A short plain-text error for clients that are neither browsers nor known APIs."""
    return (message.rstrip("\n") + "\n").encode(), {
        "content-type": "text/plain; charset=utf-8",
        "x-should-retry": "false",
    }


def policy_message(
    reason: str,
    request_id: str,
    *,
    organisation: str | None = None,
    service: str | None = None,
    verb: str = "blocked",
) -> str:
    """The sentence an API user reads: whose policy, what was stopped, why, and the request id."""
    who = f"the {organisation} AI policy" if organisation else "the company AI policy"
    what = f"Access to {service}" if service else "This request"
    reason = " ".join(reason.split()).rstrip(".")
    detail = f": {reason}." if reason else "."
    return f"{what} is {verb} by {who} (aigate){detail} Request id: {request_id}."


def unreachable_message(
    host: str, problem: str, request_id: str, *, organisation: str | None = None
) -> str:
    """The sentence an API user reads when the policy allowed the request but `host` did not
    answer (`problem`: how, e.g. "it refused the connection")."""
    who = f"the {organisation} AI policy" if organisation else "the company AI policy"
    return (
        f"This request was allowed by {who} (aigate), but {host} did not answer: {problem}. "
        f"It was not blocked; try again later. Request id: {request_id}."
    )

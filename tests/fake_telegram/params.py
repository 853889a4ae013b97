"""Reading Bot API parameters the way Telegram does.

Clients send parameters as a query string, a form, multipart or JSON; in the
first three every value is a string and nested objects are JSON strings, in
JSON they are native values.  These helpers accept both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .validation import ApiError, bad_request


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    file_name: str | None
    mime_type: str | None
    data: bytes


async def read_params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON") from None
        if not isinstance(body, dict):
            raise bad_request("can't parse JSON object")
        params.update(body)
        return params
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            params[key] = UploadedFile(value.filename, value.content_type, value.file.read())
        else:
            params[key] = value
    return params


def get_str(params: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise bad_request(f'parameter "{name}" is required')
        return None
    return value if isinstance(value, str) else str(value)


def get_int(
    params: dict[str, Any], name: str, *, required: bool = False, default: int | None = None
) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise bad_request(f'parameter "{name}" is required')
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f'invalid parameter "{name}": integer expected') from None


def get_float(params: dict[str, Any], name: str, *, default: float) -> float:
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        raise bad_request(f'invalid parameter "{name}": number expected') from None


def get_bool(params: dict[str, Any], name: str, *, default: bool = False) -> bool:
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "1")


def get_json(params: dict[str, Any], name: str, *, error: str | None = None) -> Any:
    """A nested object: native in a JSON body, a JSON string otherwise."""
    value = params.get(name)
    if not isinstance(value, str):
        return value
    if value == "":
        return None
    try:
        return json.loads(value)
    except ValueError:
        raise bad_request(error or f"can't parse {name} JSON object") from None


def not_found_method() -> ApiError:
    return ApiError(404, "Not Found: method not found")

"""The service's own words come from the program's one catalogue (`rules/messages.yaml`, section `service`);
this module only chooses the language of a request: the `lang` query option, then the Accept-Language
header, then the server's default."""

from __future__ import annotations

from typing import Any

from ..i18n import Message, msg

__all__ = ["say", "pick_lang"]


def say(key: str, **values: Any) -> Message:
    """The catalogue's sentence `service.KEY` in both languages (`str()` English, `.zh` Chinese)."""
    return msg(f"service.{key}", **values)


def pick_lang(query: str | None, accept_language: str | None, default: str) -> str:
    if query in ("zh", "en"):
        return query
    if accept_language:
        for part in accept_language.split(","):
            tag = part.split(";")[0].strip().lower()
            if tag.startswith("zh"):
                return "zh"
            if tag.startswith("en"):
                return "en"
    return default

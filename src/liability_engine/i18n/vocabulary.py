"""The Chinese words of the facts contract's values (rules/vocabulary.yaml), for reading facts files
written in them and for saying the allowed values in Chinese."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

__all__ = ["value_words", "code_for"]


def _vocabulary_path() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "rules" / "vocabulary.yaml", here.parent.parent / "rules" / "vocabulary.yaml"):
        if candidate.is_file():
            return candidate
    raise RuntimeError(f"rules/vocabulary.yaml is missing under {here}; reinstall the package")


@lru_cache(maxsize=1)
def value_words() -> Mapping[str, Mapping[str, str]]:
    """field (`act`, `person.role`, …) → value code → its Chinese word (the bundled vocabulary)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with _vocabulary_path().open("rb") as handle:
        data: Any = yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader
    return {field: {code: str(words["zh"]) for code, words in values.items()}
            for field, values in (data.get("values") or {}).items()}


@lru_cache(maxsize=None)
def _codes(field: str) -> Mapping[str, str]:
    return {word: code for code, word in value_words().get(field, {}).items()}


def code_for(field: str, value: Any) -> Any:
    """The contract's value for a Chinese word of `field` (`重大过失` → `gross`); anything else unchanged."""
    if isinstance(value, str):
        return _codes(field).get(value.strip(), value)
    return value

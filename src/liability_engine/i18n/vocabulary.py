"""The Chinese words of the facts contract's values (rules/vocabulary.yaml), for reading facts files
written in them and for saying the allowed values in Chinese."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

__all__ = ["value_words", "code_for"]


def _vocabulary_path() -> Path:
    from ..resources import PACKAGE_DIR, bundled

    found = bundled("rules", "rules", marker="vocabulary.yaml")
    if found is None:
        raise RuntimeError(f"rules/vocabulary.yaml is missing under {PACKAGE_DIR}; reinstall the package")
    return found / "vocabulary.yaml"


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

"""The Chinese words of the facts contract's values (rules/vocabulary.yaml), for reading facts files
written in them and for saying the allowed values in Chinese."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

__all__ = ["value_words", "code_for", "contract_values"]


def rules_words_folder() -> Path:
    """The bundled rules folder, whose files give the facts contract its words (vocabulary.yaml here, the
    procedure block's descriptions in descriptions.py)."""
    from ..resources import PACKAGE_DIR, bundled

    found = bundled("rules", "rules", marker="vocabulary.yaml")
    if found is None:
        raise RuntimeError(f"rules/vocabulary.yaml is missing under {PACKAGE_DIR}; reinstall the package")
    return found


def _vocabulary_path() -> Path:
    return rules_words_folder() / "vocabulary.yaml"


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


# where the values with Chinese words are: top-level parts, and the parts of each conduct
_WORDED_TOP = {"case": ("kind",), "person": ("role", "status")}
_WORDED_CONDUCT = {"": ("act", "fault"), "effects": ("accident", "execution_incident"),
                   "outcome_change": ("kind", "cause")}


def contract_values(data: dict[str, Any]) -> dict[str, Any]:
    """The facts with values written in the Chinese words of rules/vocabulary.yaml (`fault: 重大过失`)
    replaced by the contract's values (`gross`); the caller's data is not changed (copied where a word
    is replaced)."""
    def swap(part: Any, prefix: str, names: tuple[str, ...]) -> Any:
        if not isinstance(part, dict):
            return part
        changed = {name: code_for(f"{prefix}{name}", part[name]) for name in names
                   if isinstance(part.get(name), str) and code_for(f"{prefix}{name}", part[name]) != part[name]}
        return {**part, **changed} if changed else part

    out = dict(data)
    for key, names in _WORDED_TOP.items():
        out[key] = swap(data.get(key), f"{key}.", names) if key in data else None
        if key not in data:
            del out[key]
    conducts = data.get("conducts")
    if isinstance(conducts, list):
        new = []
        for conduct in conducts:
            conduct = swap(conduct, "", _WORDED_CONDUCT[""])
            for key in ("effects", "outcome_change"):
                if isinstance(conduct, dict) and isinstance(conduct.get(key), dict):
                    inner = swap(conduct[key], f"{key}.", _WORDED_CONDUCT[key])
                    if inner is not conduct[key]:
                        conduct = {**conduct, key: inner}
            new.append(conduct)
        out["conducts"] = new
    return out

"""What each part and fact of the facts' `procedure:` block means, in the rule files' words: `labels.descriptions`
of the newest version's `procedure/procedure.yaml`, which the facts models' JSON Schema hook
(`facts.procedure._described`) writes into the JSON Schemas of the facts and the service's OpenAPI document.

Read here, beside vocabulary.py (the facts' values in Chinese words), because the facts contract is the first stage
of the pipeline: its words come from rules/ without the procedure stage. The procedure loader validates the same
file (`labels.descriptions`, each name a part of the block) when the rules are loaded and checked.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from ..wording import Bilingual

__all__ = ["contract_descriptions", "described_as"]


def described_as(words: Bilingual) -> str:
    """A description in the JSON Schemas and the OpenAPI document: one text, read in either language (as the
    service writes its own summary)."""
    return f"{words.zh} · {words.en}"


def contract_descriptions(rulebook_folder: str | Path | None = None) -> dict[str, Bilingual]:
    """What each part and fact of the facts' `procedure:` block means, by its path (`procedure.dates.report`):
    `labels.descriptions` of the newest version's `procedure/procedure.yaml` under `rulebook_folder` (the bundled
    rules by default). The facts contract has one JSON Schema, so it takes the newest version's words."""
    from .vocabulary import rules_words_folder

    root = Path(rulebook_folder) if rulebook_folder is not None else rules_words_folder()
    setups = sorted((_in_force_from(*_stamped(p.parent.parent / "manifest.yaml")), p)
                    for p in root.glob("*/procedure/procedure.yaml") if (p.parent.parent / "manifest.yaml").is_file())
    if not setups:
        from ..errors import Problem, RulesError
        from . import msg

        raise RulesError(Problem(msg("procedure_words.no_setup"), path=str(root)))
    return dict(_descriptions(*_stamped(setups[-1][1].resolve())))


def _stamped(path: Path) -> tuple[str, int, int]:
    """A file's path with its modification time and size: the key under which what is read from it is kept (a
    schema is built block by block, each asking again; an edited file is read anew)."""
    stat = path.stat()
    return str(path), stat.st_mtime_ns, stat.st_size


def _yaml(path: Path) -> Any:
    import yaml

    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


@functools.lru_cache(maxsize=32)
def _in_force_from(manifest: str, *stamp: int) -> str:
    data = _yaml(Path(manifest))
    return str(data.get("in_force_from") or "") if isinstance(data, dict) else ""


@functools.lru_cache(maxsize=8)
def _descriptions(path: str, *stamp: int) -> tuple[tuple[str, Bilingual], ...]:
    labels = (_yaml(Path(path)) or {}).get("labels") or {}
    return tuple((name, Bilingual.pair(str(words["zh"]), str(words["en"])))
                 for name, words in (labels.get("descriptions") or {}).items()
                 if isinstance(words, dict) and "zh" in words and "en" in words)

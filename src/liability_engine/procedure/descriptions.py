"""What each part and fact of the facts' `procedure:` block means, in the rule files' words: `labels.descriptions`
of the newest version's `procedure/procedure.yaml`, which the facts models' JSON Schema hook
(`facts.procedure._described`) writes into the JSON Schemas of the facts and the service's OpenAPI document."""

from __future__ import annotations

import functools
from pathlib import Path

from ..errors import Problem, RulesError
from ..i18n import msg
from ..rulebook.problems import Collector as _Collector, read as _read, validate as _validate
from ..wording import Bilingual
from .files import SetupFile

__all__ = ["contract_descriptions", "described_as"]


def described_as(words: Bilingual) -> str:
    """A description in the JSON Schemas and the OpenAPI document: one text, read in either language (as the
    service writes its own summary)."""
    return f"{words.zh} · {words.en}"


def contract_descriptions(rulebook_folder: str | Path | None = None) -> dict[str, Bilingual]:
    """What each part and fact of the facts' `procedure:` block means, by its path (`procedure.dates.report`):
    `labels.descriptions` of the newest version's `procedure/procedure.yaml` under `rulebook_folder` (the bundled
    rules by default). The facts contract has one JSON Schema, so it takes the newest version's words."""
    from ..evaluate.engine import bundled_rules_path

    root = Path(rulebook_folder) if rulebook_folder is not None else bundled_rules_path()
    setups = sorted((_in_force_from(p.parent.parent), p) for p in root.glob("*/procedure/procedure.yaml")
                    if (p.parent.parent / "manifest.yaml").is_file())
    if not setups:
        raise RulesError(Problem(msg("procedure_words.no_setup"), path=str(root)))
    path = setups[-1][1].resolve()
    stat = path.stat()
    return dict(_descriptions(str(path), stat.st_mtime_ns, stat.st_size))


def _in_force_from(version_folder: Path) -> str:
    import yaml

    data = yaml.safe_load((version_folder / "manifest.yaml").read_text(encoding="utf-8"))
    return str(data.get("in_force_from") or "") if isinstance(data, dict) else ""


@functools.lru_cache(maxsize=8)
def _descriptions(path: str, *stamp: int) -> tuple[tuple[str, Bilingual], ...]:
    out = _Collector()
    doc = _read(Path(path), out)
    setup = _validate(SetupFile, doc, out) if doc is not None else None
    if setup is None:
        raise RulesError(out.problems)
    return tuple(setup.labels.descriptions.items())

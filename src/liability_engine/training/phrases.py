"""The narratives of generated variants, told from the sentences of phrases.yaml."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any, Iterable, Mapping

from pydantic import Field, ValidationError

from ..facts.documents import read_document
from ..errors import Problem
from ..rulebook.model import Rulebook
from ..i18n import msg
from ..wording import Bilingual
from .bank import Change, Strict, TrainingError, file_problems, show

__all__ = ["Phrases"]


class _PhrasesFile(Strict):
    templates: dict[str, Bilingual]
    month_names: list[str] = Field(min_length=12, max_length=12)
    words: dict[str, Bilingual]
    values: dict[str, dict[str, Bilingual]]


_NARRATIVE_ORDER = ("knowing", "fault", "effects.wrongful_handling", "effects.conclusion_affected",
                    "effects.accident", "effects.execution_incident", "effects.serious_consequence",
                    "effects.bad_influence", "effects.major_loss")
_DEFAULTS = {"knowing": False, "effects.wrongful_handling": False, "effects.serious_consequence": False,
             "effects.bad_influence": False, "effects.major_loss": False, "effects.conclusion_affected": True,
             "effects.accident": None, "effects.execution_incident": None}


class Phrases:
    """The sentences of phrases.yaml, and how a conduct's facts are told with them."""

    def __init__(self, spec: _PhrasesFile, rulebook: Rulebook, path: str):
        self.spec = spec
        self.rulebook = rulebook
        self.path = path

    @classmethod
    def load(cls, path: Path, rulebook: Rulebook) -> "Phrases":
        doc = read_document(path, TrainingError)
        try:
            spec = _PhrasesFile.model_validate(doc.data)
        except ValidationError as exc:
            raise TrainingError(file_problems(exc, doc)) from None
        missing = [t for t in ("date", "opening", "outcome", "variant_note") if t not in spec.templates]
        if missing:
            raise TrainingError(Problem(msg("train.templates_missing", names=", ".join(missing)), path=str(path),
                                        field="templates"))
        return cls(spec, rulebook, str(path))

    def missing(self, fields: Iterable[str]) -> list[str]:
        """Values of these facts fields (and of the act, fault, role and kind of case) with no phrase."""
        out = []
        wanted = dict.fromkeys(["act", "fault", "case.kind", "person.role", "outcome_change.kind",
                                "outcome_change.cause", *fields])
        for name in wanted:
            spec = self.rulebook.schema.get(name)
            if spec is None:
                continue
            values = [True, False] if spec.kind == "bool" else list(spec.values)
            if spec.nullable and name.startswith("effects."):
                values.append(None)
            out += [f"{name}={show(v)}" for v in values if self._value(name, v) is None]
        return out

    def _value(self, name: str, value: Any) -> Bilingual | None:
        return self.spec.values.get(name, {}).get(show(value))

    def _say(self, name: str, value: Any, lang: str, ctx: Mapping[str, str]) -> str:
        text = self._value(name, value)
        if text is None:
            raise TrainingError(Problem(msg("train.no_phrase", name=name, value=show(value)), path=self.path,
                                        field=f"values.{name}.{show(value)}"))
        return text.get(lang).format(**ctx)

    def date(self, day: _dt.date, lang: str) -> str:
        return self.spec.templates["date"].get(lang).format(year=day.year, month=day.month, day=day.day,
                                                            month_name=self.spec.month_names[day.month - 1])

    def narrative(self, data: Mapping[str, Any], relevant: set[str], changed: str) -> Bilingual:
        return Bilingual(zh=self._tell(data, relevant, changed, "zh"), en=self._tell(data, relevant, changed, "en"))

    def _tell(self, data: Mapping[str, Any], relevant: set[str], changed: str, lang: str) -> str:
        conduct = data["conducts"][0]
        person = data.get("person") or {}
        role = self._say("person.role", person.get("role") or "procurator", lang, {})
        name = person.get("name") or ""
        subject = (name or role) if lang == "zh" else f"the {role}"
        ctx = {"subject": subject}
        day = conduct["date"] if isinstance(conduct["date"], _dt.date) else _dt.date.fromisoformat(str(conduct["date"]))
        sentences = [self.spec.templates["opening"].get(lang).format(
            date=self.date(day, lang), role=role, name=name if lang == "zh" else "",
            kind=self._say("case.kind", (data.get("case") or {}).get("kind") or "criminal", lang, {}),
            act=self._say("act", conduct["act"], lang, ctx))]
        effects = conduct.get("effects") or {}
        for name_ in _NARRATIVE_ORDER:
            if name_ == "fault":
                sentences.append(self._say("fault", conduct.get("fault", "unknown"), lang, ctx))
                continue
            key = name_.split(".", 1)[1] if name_.startswith("effects.") else name_
            value = (effects if name_.startswith("effects.") else conduct).get(key, _DEFAULTS[name_])
            if value != _DEFAULTS[name_] or name_ == changed or name_ in relevant:
                sentences.append(self._say(name_, value, lang, ctx))
        change = conduct.get("outcome_change")
        if change:
            sentences.append(self.spec.templates["outcome"].get(lang).format(
                kind=self._say("outcome_change.kind", change["kind"], lang, ctx)))
            sentences.append(self._say("outcome_change.cause", change.get("cause", "unknown"), lang, ctx))
        if lang == "en":
            return " ".join(s[:1].upper() + s[1:] for s in sentences)
        return "".join(sentences)

    def label(self, name: str, value: Any, lang: str) -> str:
        if isinstance(value, bool) or value is None:
            return self.spec.words[show(value)].get(lang)
        if isinstance(value, _dt.date):
            return self.date(value, lang)
        label = self.rulebook.vocabulary.values.get(name, {}).get(show(value))
        return label.get(lang) if label else show(value)

    def variant_note(self, source_id: str, change: Change) -> Bilingual:
        def note(lang: str) -> str:
            field_label = self.rulebook.vocabulary.fields.get(change.field) or self.spec.words.get(change.field)
            return self.spec.templates["variant_note"].get(lang).format(
                source=source_id, field=field_label.get(lang) if field_label else change.field,
                old=self.label(change.field, change.old, lang), new=self.label(change.field, change.new, lang))

        return Bilingual(zh=note("zh"), en=note("en"))

"""`liability interview`: asks for the facts that would decide, one question at a time."""

from __future__ import annotations

import copy
import datetime as _dt
import sys
from pathlib import Path
from typing import Optional

import typer
import yaml

from ..i18n import msg, text
from ..errors import LiabilityError, Problem
from ._common import (AsOfOption, Exit, Lang, LangOption, RulesOption, fail, load_engine, parse_as_of,
                      pick_lang)

__all__ = ["interview"]

MAX_QUESTIONS = 20


def interview(
    file: Optional[str] = typer.Argument(None,
                                         show_default=False),
    save: Optional[Path] = typer.Option(None, "--save",
                                        show_default=False),
    as_of: Optional[str] = AsOfOption,
    lang: Optional[Lang] = LangOption,
    rules: Optional[Path] = RulesOption,
) -> None:
    """Ask for exactly the facts that would decide an undetermined conduct, then print the determination."""
    from .. import render
    from ..determination.explain import Words
    from ..facts.model import Act, load_facts
    from ..determination.interview import answer, next_question, saved_document, start_document
    from ..facts.model import facts_from_data
    from ..render.interview import ask_choice, ask_text

    day = parse_as_of(as_of)
    engine = load_engine(rules, "auto")
    language = pick_lang(lang)
    console = render.stdout_console()
    words = Words(engine.rulebook)
    answered: dict[tuple[int, str], object] = {}
    try:
        if file is not None:
            from ..allocation.casefile import CaseFile, load_any

            found = load_any(file)
            if isinstance(found, CaseFile):  # a case file: the conducts' facts, then the decisions' facts
                _case_interview(engine, found, day, language, console, save)
                return
            facts = found
            document = copy.deepcopy(facts._source.data) if facts._source is not None else \
                facts.model_dump(mode="json", by_alias=True, exclude_none=True)
        else:  # from nothing: the act and the date, then every fact that decides, most decisive first
            act = ask_choice(console, words.field("act", language),
                             [(a.value, words.value("act", a.value, language), None) for a in Act], language)
            date = None
            while date is None:
                raw = ask_text(console, text("interview.date", language))
                try:
                    date = _dt.date.fromisoformat(raw)
                except ValueError:
                    console.print(text("interview.bad_date", language))
            document = start_document(act, date)
            facts = facts_from_data(document)
        for _ in range(MAX_QUESTIONS):
            question = next_question(engine, facts, day, language, frozenset(answered))
            if question is None:
                break
            value = ask_choice(console, f"[{question.conduct_id}] {question.text}",
                               [(c.value, c.label, c.leads_to) for c in question.choices], language)
            answered[(question.conduct_index, question.field)] = value
            document, facts = answer(document, question.conduct_index, question.field, value)
        det = engine.evaluate(facts, as_of=day)
    except LiabilityError as exc:
        fail(exc)
        return
    except (EOFError, KeyboardInterrupt):
        sys.stderr.write("\n")
        raise Exit(130)
    render.text_report(engine.rulebook, [det], language, console)
    if save is not None:
        try:
            save.write_text(yaml.safe_dump(saved_document(document, answered, file is None), allow_unicode=True,
                                           sort_keys=False, default_flow_style=False), encoding="utf-8")
        except OSError as exc:
            fail(LiabilityError(Problem(msg("cli.cannot_write", reason=exc.strerror or exc), path=str(save))))
        console.print(text("interview.saved", language, path=save))


def _case_interview(engine: object, case: object, day: Optional[_dt.date], language: str, console: object,
                    save: Optional[Path]) -> None:
    """The interview of a case file (liability-facts/2): asks what decides a conduct or an allocation."""
    from ..allocation.interview import answer_case, case_document, next_case_question
    from ..allocation.render import case_text
    from ..render.interview import ask_choice

    try:
        for _ in range(MAX_QUESTIONS):
            question = next_case_question(engine, case, day, language)
            if question is None:
                break
            value = ask_choice(console, question.text, question.choices, language)
            case = answer_case(case, question.path, value)  # type: ignore[arg-type]
        det = engine.evaluate_case(case, as_of=day)  # type: ignore[attr-defined]
    except LiabilityError as exc:
        fail(exc)
        return
    except (EOFError, KeyboardInterrupt):
        sys.stderr.write("\n")
        raise Exit(130)
    case_text(engine.rulebook, det, language, console)  # type: ignore[attr-defined]
    if save is not None:
        try:
            save.write_text(yaml.safe_dump(case_document(case), allow_unicode=True, sort_keys=False),  # type: ignore[arg-type]
                            encoding="utf-8")
        except OSError as exc:
            fail(LiabilityError(Problem(msg("cli.cannot_write", reason=exc.strerror or exc), path=str(save))))
        console.print(text("interview.saved", language, path=save))  # type: ignore[attr-defined]

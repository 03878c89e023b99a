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
    language = pick_lang(lang)
    if save is not None:
        _check_writable(save, language)  # before any question: an answer must never be lost to a bad path
    engine = load_engine(rules, "auto")
    console = render.stdout_console()
    words = Words(engine.rulebook)
    facts = None
    document = None
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
            act = ask_choice(console, words.question("act", language),
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
    except (EOFError, KeyboardInterrupt) as stop:
        # End of input (or Ctrl-C) before the facts were complete: keep what was answered, say where,
        # and exit 2 (the input ended early: the facts are incomplete) or 130 (interrupted).
        sys.stdout.write("\n")
        kept = document is not None and save is not None
        if kept:
            _write(save, saved_document(document, answered, file is None))  # type: ignore[arg-type]
        render.stderr_console().print(_ended_message(language, save if kept else None,
                                                     interrupted=isinstance(stop, KeyboardInterrupt)),
                                      soft_wrap=True, markup=False)
        raise Exit(130 if isinstance(stop, KeyboardInterrupt) else 2)
    render.text_report(engine.rulebook, [det], language, console)
    if save is not None:
        _write(save, saved_document(document, answered, file is None))
        console.print(text("interview.saved", language, path=save))


def _ended_message(lang: str, saved: Optional[Path], interrupted: bool) -> str:
    head = text("interview.interrupted" if interrupted else "interview.input_ended", lang)
    tail = (text("interview.kept", lang, path=saved) if saved is not None else text("interview.nothing_saved", lang))
    return head + tail


def _check_writable(path: Path, lang: str) -> None:
    import os

    from .. import render

    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        said = msg("interview.save_is_folder")
    elif not parent.is_dir():
        said = msg("interview.save_no_folder", folder=parent)
    elif not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        said = msg("interview.save_denied")
    else:
        return
    render.print_error(render.stderr_console(), LiabilityError(Problem(said, path=str(path), field="--save")), lang)
    raise Exit(2)


def _write(path: Path, document: dict) -> None:
    try:
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False, default_flow_style=False),
                        encoding="utf-8")
    except OSError as exc:
        fail(LiabilityError(Problem(msg("cli.cannot_write", reason=exc.strerror or exc), path=str(path))))


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
    except (EOFError, KeyboardInterrupt) as stop:  # as for one person's facts: exit 2 at end of input, 130 on Ctrl-C
        sys.stdout.write("\n")
        from .. import render

        render.stderr_console().print(_ended_message(language, None, interrupted=isinstance(stop, KeyboardInterrupt)),
                                      soft_wrap=True, markup=False)
        raise Exit(130 if isinstance(stop, KeyboardInterrupt) else 2)
    case_text(engine.rulebook, det, language, console)  # type: ignore[attr-defined]
    if save is not None:
        _write(save, case_document(case))  # type: ignore[arg-type]
        console.print(text("interview.saved", language, path=save))  # type: ignore[attr-defined]

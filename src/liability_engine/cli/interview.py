"""`liability interview`: asks for the facts that would decide, one question at a time."""

from __future__ import annotations

import copy
import datetime as _dt
import sys
from pathlib import Path
from typing import Any, Optional

import typer
import yaml

from ..i18n import msg, text
from ..errors import LiabilityError, Problem, os_reason
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
    from ..allocation.reading import load_any
    from ..determination.interview import saved_document
    from ..facts.model import Facts

    day = parse_as_of(as_of)
    language = pick_lang(lang)
    if save is not None:
        _check_writable(save, language)  # before any question: an answer must never be lost to a bad path
    engine = load_engine(rules, "auto")
    console = render.stdout_console()
    answers = _Answers()
    try:
        if file is not None:
            found = load_any(file)
            if not isinstance(found, Facts):  # a case file: the conducts' facts, then the decisions' facts
                _case_interview(engine, found, day, language, console, save)
                return
            answers.start_from(found)
        else:  # from nothing: the act and the date, then every fact that decides, most decisive first
            answers.start_blank(engine, console, language)
        answers.ask(engine, day, language, console)
        det = engine.evaluate(answers.facts, as_of=day)
    except LiabilityError as exc:
        fail(exc)
        return
    except (EOFError, KeyboardInterrupt) as stop:
        # End of input (or Ctrl-C) before the facts were complete: keep what was answered, say where.
        kept = answers.document is not None and save is not None
        if kept:
            _write(save, saved_document(answers.document, answers.answered, file is None))  # type: ignore[arg-type]
        _ended(language, save if kept else None, stop)
    render.text_report(engine.rulebook, [det], language, console)
    if save is not None:
        _write(save, saved_document(answers.document, answers.answered, file is None))
        console.print(text("interview.saved", language, path=save))


class _Answers:
    """The facts document being completed, the facts it reads as, and the answers given so far."""

    def __init__(self) -> None:
        self.document: Any = None
        self.facts: Any = None
        self.answered: dict[tuple[int, str], object] = {}

    def start_from(self, facts: Any) -> None:
        self.facts = facts
        self.document = copy.deepcopy(facts._source.data) if facts._source is not None else \
            facts.model_dump(mode="json", by_alias=True, exclude_none=True)

    def start_blank(self, engine: Any, console: Any, language: str) -> None:
        """Asks for the act and the date of a conduct."""
        from ..determination.explain import Words
        from ..determination.interview import start_document
        from ..facts.model import Act, facts_from_data
        from ..render.interview import ask_choice, ask_text

        words = Words(engine.rulebook)
        act = ask_choice(console, words.question("act", language),
                         [(a.value, words.value("act", a.value, language), None) for a in Act], language)
        date = None
        while date is None:
            raw = ask_text(console, text("interview.date", language))
            try:
                date = _dt.date.fromisoformat(raw)
            except ValueError:
                console.print(text("interview.bad_date", language))
        self.document = start_document(act, date)
        self.facts = facts_from_data(self.document)

    def ask(self, engine: Any, day: Optional[_dt.date], language: str, console: Any) -> None:
        """Asks, most decisive first, for each fact that would decide (at most MAX_QUESTIONS)."""
        from ..determination.interview import answer, next_question
        from ..render.interview import ask_choice

        for _ in range(MAX_QUESTIONS):
            question = next_question(engine, self.facts, day, language, frozenset(self.answered))
            if question is None:
                break
            value = ask_choice(console, f"[{question.conduct_id}] {question.text}",
                               [(c.value, c.label, c.leads_to) for c in question.choices], language)
            self.answered[(question.conduct_index, question.field)] = value
            self.document, self.facts = answer(self.document, question.conduct_index, question.field, value)


def _ended(language: str, saved: Optional[Path], stop: BaseException) -> None:
    """The input ended (exit 2: the facts are incomplete) or was interrupted (130): say so, and what was kept."""
    from .. import render

    sys.stdout.write("\n")
    interrupted = isinstance(stop, KeyboardInterrupt)
    render.stderr_console().print(_ended_message(language, saved, interrupted=interrupted),
                                  soft_wrap=True, markup=False)
    raise Exit(130 if interrupted else 2)


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
        fail(LiabilityError(Problem(msg("cli.cannot_write", reason=os_reason(exc)), path=str(path))))


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
        _ended(language, None, stop)
    case_text(engine.rulebook, det, language, console)  # type: ignore[attr-defined]
    if save is not None:
        _write(save, case_document(case))  # type: ignore[arg-type]
        console.print(text("interview.saved", language, path=save))  # type: ignore[attr-defined]

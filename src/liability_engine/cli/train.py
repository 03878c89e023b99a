"""`liability train`: exercises for new inspectors, graded by the engine."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer

from ..i18n import keys_of, msg, text, word
from ..errors import LiabilityError, Problem, did_you_mean, os_reason, writable
from ._common import (BackendOption, Exit, Lang, LangOption, RulesOption, fail, load_engine, pick_lang,
                      refuse_writing_over_input)
from .train_allocation_sheet import grade_allocation_sheet
from .train_sheet import grade_sheet

__all__ = ["train"]

INTERACTIVE_COUNT = 10


class TrainFormat(str, Enum):
    text = "text"
    yaml = "yaml"
    json = "json"


# (the options' help comes from the catalogue, help.train.<option>)
_TOPIC = typer.Option(None, "--topic", show_default=False)
_GENERATE = typer.Option(None, "--generate", min=1, show_default=False)
_ANSWERS = typer.Option(None, "--answers", show_default=False)
_EXPORT = typer.Option(None, "--export", show_default=False)


_BANK = typer.Option(None, "--bank", show_default=False)
_TRAINEE = typer.Option(None, "--trainee", show_default=False)


def train(
    topic: Optional[str] = _TOPIC,
    difficulty: Optional[int] = typer.Option(None, "--difficulty", min=1, max=3,
                                             show_default=False),
    count: Optional[int] = typer.Option(None, "--count", min=1, show_default=False),
    seed: Optional[int] = typer.Option(None, "--seed", show_default=False),
    lang: Optional[Lang] = LangOption,
    generate: Optional[int] = _GENERATE,
    answers: Optional[str] = _ANSWERS,
    report: Optional[Path] = typer.Option(None, "--report", show_default=False),
    key: bool = typer.Option(False, "--key"),
    fmt: TrainFormat = typer.Option(TrainFormat.text, "--format", "-f"),
    export: Optional[Path] = _EXPORT,
    stats: bool = typer.Option(False, "--stats"),
    coverage: bool = typer.Option(False, "--coverage"),
    bank: Optional[Path] = _BANK,
    trainee: Optional[str] = _TRAINEE,
    rules: Optional[Path] = RulesOption,
    backend: str = BackendOption,
) -> None:
    """Practise on case files: read the story, give the finding, the article and item, and whether
    judicial responsibility attaches; the engine grades it and explains. Ctrl-C ends with the score."""
    from .. import render

    modes = _one_mode(key=key, answers=answers is not None, stats=stats, coverage=coverage, export=export is not None)
    if report is not None and answers is None:
        fail(LiabilityError(Problem(msg("cli.report_needs_answers"), field="--report")))
    refuse_writing_over_input(report, answers, "--report")
    language = pick_lang(lang)
    out = render.stdout_console()
    if stats:
        _stats(out, language, trainee)
        return
    engine = load_engine(rules, backend)
    if topic is not None and topic.startswith("allocation"):  # who bears what: allocation/training.py
        _allocation_only(modes)
        _allocation(out, engine, topic, difficulty, count, seed, bank, key, answers, fmt, language)
        return
    try:
        trainer = _trainer(engine, bank)
        if coverage:
            _coverage(out, trainer, language)
            return
        if answers is not None:
            grade_sheet(out, trainer, answers, report, fmt is TrainFormat.json, language, trainee)
            return
        interactive = not (key or export is not None)
        chosen = _choose(trainer, topic, difficulty, count, seed, generate, interactive)
    except LiabilityError as exc:
        fail(exc)
        return
    if key:
        _key(trainer, chosen, fmt)
    elif export is not None:
        _export(out, chosen, export)
    else:
        _session(out, trainer, chosen, language, trainee)


def _allocation_only(modes: list[str]) -> None:
    if modes and modes != ["--key"] and modes != ["--answers"]:
        fail(LiabilityError(Problem(msg("cli.allocation_mode", mode=modes[0]), field="--topic",
                                    allowed=["--key", "--answers"])))


def _trainer(engine: Any, bank: Optional[Path]) -> Any:
    from .. import training as tr

    return tr.Trainer(engine, bank)


def _one_mode(**modes: bool) -> list[str]:
    """The modes asked for (at most one: more is an error)."""
    chosen = [f"--{name}" for name, on in modes.items() if on]
    if len(chosen) > 1:
        fail(LiabilityError(Problem(msg("cli.one_mode", modes=", ".join(chosen)), field="train")))
    return chosen


def _coverage(out: Any, trainer: Any, language: str) -> None:
    from ..render import training as view

    view.coverage_view(out, trainer.coverage(), language)


def _stats(out: Any, language: str, trainee: Optional[str] = None) -> None:
    from .. import training as tr
    from ..render import training as view

    try:
        path = tr.progress_path()
        records, skipped = tr.read_progress(path, trainee=trainee)
    except LiabilityError as exc:
        fail(exc)
        return
    rows, days = tr.article_stats(records)
    view.stats_view(out, rows, days, language, path=str(path), skipped=skipped)


def _key(trainer: Any, chosen: list[Any], fmt: TrainFormat) -> None:
    from .. import training as tr

    data = tr.key_sheet(trainer.key(chosen))
    if fmt is TrainFormat.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        import yaml

        sys.stdout.write(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def _export(out: Any, chosen: list[Any], export: Path) -> None:
    import yaml

    from .. import training as tr

    try:
        export.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(LiabilityError(Problem(msg("cli.cannot_create", reason=os_reason(exc)), path=str(export))))
    for name, content in tr.iter_exports(chosen):
        _write(export / name, yaml.safe_dump(content, allow_unicode=True, sort_keys=False))
    out.print(f"{len(chosen)} → {export}")


def _choose(trainer: Any, topic: Optional[str], difficulty: Optional[int], count: Optional[int],
            seed: Optional[int], generate: Optional[int], interactive: bool) -> list[Any]:
    from .. import training as tr

    pool = tr.select(trainer.exercises, topic=topic, difficulty=difficulty)
    if not pool:
        wanted = " ".join(f"{k} {v}" for k, v in (("--topic", topic), ("--difficulty", difficulty)) if v is not None)
        topics = sorted({e.topic for e in trainer.exercises})
        raise tr.TrainingError(Problem(msg("train.no_match", wanted=wanted), field="--topic", value=topic,
                                       allowed=topics, suggestion=did_you_mean(topic, topics) if topic else None))
    if generate is not None:
        pool = trainer.generate(pool, generate, seed)
    return tr.select(pool, count=count if count is not None else INTERACTIVE_COUNT if interactive else None,
                     seed=seed, shuffle=interactive)


def _session(out: Any, trainer: Any, chosen: list[Any], lang: str, trainee: Optional[str] = None) -> None:
    from ..render import training as view

    results = []
    stopped: int | None = None
    rb = trainer.rulebook
    try:
        for index, ex in enumerate(chosen, 1):
            view.show_exercise(out, ex, index, len(chosen), lang)
            given = view.ask_answer(out, rb, lang)
            result = trainer.grade(ex, given)
            results.append(result)
            view.show_feedback(out, rb, result, lang)
    except KeyboardInterrupt:
        stopped = 130
    except EOFError:  # the input ended before the session did: what was answered counts, and exit 2
        stopped = 2
    if stopped is not None:
        out.print()
    view.results_table(out, results, rb, lang, planned=len(chosen), interrupted=stopped is not None)
    saved = _record(results, "interactive", trainee)
    if stopped:
        from .. import render

        render.stderr_console().print(_ended_message(lang, len(results), len(chosen), saved, stopped == 130),
                                      soft_wrap=True, markup=False)
        raise Exit(stopped)


def _ended_message(lang: str, answered: int, planned: int, saved: Optional[Path], interrupted: bool) -> str:
    where = text("train.recorded", lang, path=saved) if saved is not None and answered else \
        text("train.nothing_recorded", lang)
    return text("train.ended", lang, head=text("train.interrupted" if interrupted else "train.input_ended", lang),
                answered=answered, planned=planned, where=where)


def _record(results: list[Any], mode: str, trainee: Optional[str] = None) -> Optional[Path]:
    """Append to the progress file (returns it); a file that cannot be written is reported, not fatal."""
    from .. import render
    from .. import training as tr

    try:
        return tr.append_progress(results, mode, trainee=trainee)
    except LiabilityError as exc:
        render.print_error(render.stderr_console(), exc)
        return None


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(writable(text), encoding="utf-8")
    except OSError as exc:
        fail(LiabilityError(Problem(msg("cli.cannot_write", reason=os_reason(exc)), path=str(path))))


def _allocation(out: Any, engine: Any, topic: str, difficulty: Optional[int], count: Optional[int],
                seed: Optional[int], bank: Optional[Path], key: bool, answers: Optional[str], fmt: TrainFormat,
                language: str) -> None:
    """Allocation exercises: for each question, who bears what; the engine is the answer key."""
    from ..allocation import training as at

    try:
        exercises = [e for e in at.load_allocation_bank(bank) if e.topic.startswith(topic)
                     and (difficulty is None or e.difficulty == difficulty)]
    except LiabilityError as exc:
        fail(exc)
        return
    if not exercises:
        fail(LiabilityError(Problem(msg("cli.no_allocation_exercise", topic=topic), field="--topic", value=topic)))
    if key:
        _allocation_key(engine, exercises, fmt)
    elif answers is not None:
        grade_allocation_sheet(out, engine, exercises, answers, fmt is TrainFormat.json)
    else:
        _allocation_session(out, engine, exercises, count, seed, language)


def _allocation_key(engine: Any, exercises: list[Any], fmt: TrainFormat) -> None:
    """The engine's answer to every question, in the answer-sheet format."""
    import yaml

    from ..allocation import training as at

    keys = {e.id: {q: r for q, (r, _) in at.answer_key(engine, e).items()} for e in exercises}
    sys.stdout.write(json.dumps(keys, ensure_ascii=False, indent=2) + "\n" if fmt is TrainFormat.json else
                     yaml.safe_dump(keys, allow_unicode=True, sort_keys=False))


def _allocation_session(out: Any, engine: Any, exercises: list[Any], count: Optional[int], seed: Optional[int],
                        lang: str) -> None:
    """An interactive session: the story, each question with the results to choose from, the feedback."""
    import random

    from ..allocation import training as at

    rng = random.Random(seed)
    chosen = exercises[:]
    rng.shuffle(chosen)
    chosen = chosen[:count or INTERACTIVE_COUNT]
    score = total = 0
    try:
        for n, e in enumerate(chosen, 1):
            out.print(f"\n[{n}/{len(chosen)}] {e.id}", style="bold")
            out.print(e.narrative.get(lang), markup=False)
            key_rows = at.answer_key(engine, e)
            for q in e.questions:
                expected, found = key_rows[at.question_key(q)]
                ok = _allocation_question(out, e, q, expected, found, lang)
                total += 1
                score += ok
            if e.teaching_note:
                out.print(e.teaching_note.get(lang), style="italic")
    except (KeyboardInterrupt, EOFError):
        out.print()
    out.print(text("train.alloc_score", lang, score=score, total=total))


def _allocation_question(out: Any, exercise: Any, q: Any, expected: str, found: list[Any], lang: str) -> bool:
    """One question asked and graded, with the allocation rules that decide it; whether it was answered right."""
    from ..allocation import training as at

    choices = keys_of("allocation.result")
    person = exercise.case.person(q.person)
    who = text("train.alloc_person", lang, name=person.name or q.person, id=q.person)
    about = text("train.alloc_decision", lang, id=q.decision) if q.decision else \
        text("train.alloc_conduct", lang, id=q.conduct)
    head = word(f"allocation.head.{q.answers_for}", lang, q.answers_for)
    out.print(text("train.alloc_question", lang, who=who, about=about, head=head), markup=False)
    for i, r in enumerate(choices, 1):
        out.print(f"  {i}. {word(f'allocation.result.{r}', lang, r)} [{r}]", markup=False)
    raw = out.input(text("train.alloc_choose", lang)).strip()
    given = choices[int(raw) - 1] if raw.isdigit() and 1 <= int(raw) <= len(choices) else at.parse_result(raw)
    ok = given == expected
    out.print(text("train.alloc_right", lang) if ok else
              text("train.alloc_expected", lang, expected=word(f"allocation.result.{expected}", lang, expected)))
    for a in found:
        confidence = text(f"versions.confidence_{a.source_confidence}", lang)
        part = word(f"allocation.part.{a.part}", lang, a.part)
        out.print(f"   {a.rule} ({a.point}, {confidence}; {part}): {getattr(a.explanation, lang)}", markup=False)
        out.print(f"   {getattr(a.source, lang)}", markup=False)
    return ok

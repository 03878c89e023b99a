"""`liability evaluate` and `liability explain`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import FactsError, LiabilityError, Problem
from ._common import (AsOfOption, BackendOption, Exit, Format, Lang, LangOption, RulesOption, expand_inputs, fail,
                      load_engine, parse_as_of, pick_lang)

__all__ = ["evaluate", "explain"]


def evaluate(
    files: List[str] = typer.Argument(..., help="Facts files (YAML or JSON), folders of them, or - for stdin."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text, json or markdown."),
    as_of: Optional[str] = AsOfOption,
    lang: Optional[Lang] = LangOption,
    rules: Optional[Path] = RulesOption,
    backend: str = BackendOption,
) -> None:
    """Determine the judicial responsibility of each conduct in FILES."""
    from .. import render
    from ..facts import load_facts

    day = parse_as_of(as_of)
    engine = load_engine(rules, backend)
    language = pick_lang(lang)
    sources = list(expand_inputs(files))
    out = render.stdout_console()
    err = render.stderr_console()
    batch = len(sources) > 1
    failed = False
    with render.progress(len(sources), enabled=batch and sys.stderr.isatty()) as advance:
        for source in sources:
            try:
                if source != "-" and Path(source).is_dir():
                    raise FactsError(Problem("no facts files (*.yaml, *.yml, *.json) in this folder", path=source))
                det = engine.evaluate(load_facts(source), as_of=day)
            except LiabilityError as exc:
                failed = True
                render.print_error(err, exc)
                if fmt is Format.json and batch:
                    out.print(render.json_line({"schema": "liability-error/1", "source": source,
                                                "problems": [p.as_dict() for p in exc.problems]}),
                              markup=False, crop=False, soft_wrap=True)
                advance()
                continue
            if fmt is Format.json:
                text = det.model_dump_json() if batch else det.model_dump_json(indent=2)
                out.print(text, markup=False, crop=False, soft_wrap=True, highlight=False)
            elif fmt is Format.markdown:
                out.print(render.markdown_report(engine.rulebook, det, language), markup=False, crop=False,
                          soft_wrap=True, highlight=False)
            else:
                if batch:
                    out.rule(source)
                render.text_report(engine.rulebook, [det], language, out)
            advance()
    if failed:
        raise Exit(2)


def explain(
    file: str = typer.Argument(..., help="A facts file (YAML or JSON), or - for stdin."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text (a tree), json or markdown."),
    as_of: Optional[str] = AsOfOption,
    lang: Optional[Lang] = LangOption,
    rules: Optional[Path] = RulesOption,
    backend: str = BackendOption,
) -> None:
    """Show the full reasoning for FILE: every rule considered, as a tree."""
    from .. import render
    from ..facts import load_facts

    day = parse_as_of(as_of)
    engine = load_engine(rules, backend)
    language = pick_lang(lang)
    try:
        det = engine.evaluate(load_facts(file), as_of=day)
    except LiabilityError as exc:
        fail(exc)
        return
    out = render.stdout_console()
    if fmt is Format.json:
        out.print(det.model_dump_json(indent=2), markup=False, crop=False, soft_wrap=True, highlight=False)
    elif fmt is Format.markdown:
        out.print(render.markdown_report(engine.rulebook, det, language), markup=False, crop=False, soft_wrap=True)
    else:
        out.print(render.explain_tree(engine.rulebook, det, language))



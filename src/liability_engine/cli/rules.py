"""`liability rules check|test|show`: the rule authors' toolchain."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .. import i18n
from ..i18n import msg, text
from ..errors import LiabilityError, Problem, RulesError
from ._common import Exit, Lang, LangOption, fail, pick_lang

__all__ = ["app"]

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None)

DirArgument = typer.Argument(None, show_default=False)


def _folder(folder: Optional[Path]) -> Path:
    from ..evaluate.engine import bundled_rules_path

    if folder is None:
        return bundled_rules_path()
    if folder.exists() and not folder.is_dir():
        fail(LiabilityError(Problem(msg("cli.rules_folder_is_file"), path=str(folder))))
    if not folder.is_dir():
        fail(LiabilityError(Problem(msg("cli.rules_folder_not_found"), path=str(folder))))
    return folder


@app.command()
def check(folder: Optional[Path] = DirArgument, lang: Optional[Lang] = LangOption) -> None:
    """Validate a rulebook: one message per problem (file:line:column, rule, what, allowed, fix); exit 2 if any."""
    from .. import render
    from ..authoring.checks import check_rulebook

    rulebook, problems = check_rulebook(_folder(folder))
    procedure_rules = 0
    if rulebook is not None and not problems:  # the procedure rules (rules/<version>/procedure/) too
        from ..procedure.rules import check_procedure_rules

        procedure_rules, problems = check_procedure_rules(rulebook)
    err = render.stderr_console()
    if problems:
        render.print_error(err, RulesError(problems))
        err.print(text("cli.problem_count", count=len(problems)))
        raise Exit(2)  # a rulebook with problems is invalid input
    assert rulebook is not None
    rules = sum(len(v.rules) + len(v.temporal_rules) for v in rulebook.versions)
    extra = text("cli.check_procedure", count=procedure_rules) if procedure_rules else ""
    render.stdout_console().print(text("cli.check_ok", versions=len(rulebook.versions), rules=rules, extra=extra))


@app.command("test")
def test_cases(
    folder: Optional[Path] = DirArgument,
    pattern: Optional[str] = typer.Option(None, "-k"),
    show_coverage: bool = typer.Option(False, "--coverage"),
    min_coverage: Optional[float] = typer.Option(None, "--min-coverage", show_default=False, min=0, max=100),
    lang: Optional[Lang] = LangOption,
) -> None:
    """Run the YAML cases beside the rules (rules/<version>/tests/*.yaml); exit 2 if any fails."""
    from .. import render
    from ..evaluate.engine import Engine
    from ..render.rules import case_results, coverage_table
    from ..authoring.rule_tests import coverage, load_cases, run_case

    try:
        engine = Engine.from_path(_folder(folder))
        cases = load_cases(engine, pattern)
    except RulesError as exc:
        fail(exc)
        return
    if pattern and not cases:  # not "no test cases found": there are, and -k chose none of them
        fail(LiabilityError(Problem(msg("input_guard.no_case_matches", pattern=pattern), path=str(_folder(folder)),
                                    field="-k", value=pattern)))
    out = render.stdout_console()
    results = [run_case(engine, c) for c in cases]
    case_results(results, out, i18n.current())
    failed = any(not r.passed for r in results) or not results
    if not results:
        out.print(text("cli.no_cases"))
    if show_coverage or min_coverage is not None:
        if pattern:
            out.print(text("cli.coverage_selected"))
        summary = coverage_table(coverage(engine, results), out, i18n.current())
        if min_coverage is not None:
            low = {v: c for v, c in summary.items() if min(c) < min_coverage}
            for v, (f, m) in low.items():
                out.print(text("cli.under_coverage", version=v, minimum=f"{min_coverage:g}", fired=f"{f:.0f}",
                               missed=f"{m:.0f}"))
            failed = failed or bool(low)
    if failed:
        raise Exit(2)  # rules that fail their own cases (or the coverage asked for) are a rulebook with problems


@app.command()
def show(
    version: Optional[str] = typer.Argument(None),
    article: Optional[int] = typer.Option(None, "--article"),
    fmt: str = typer.Option("text", "--format", "-f"),
    lang: Optional[Lang] = LangOption,
    folder: Optional[Path] = typer.Option(None, "--rules"),
    interpretations: bool = typer.Option(False, "--interpretations"),
) -> None:
    """Print the rules as a decision table: item, text, conditions, finding, precedence."""
    from .. import render
    from ..render.rules import interpretations_markdown, rules_markdown, rules_table
    from ..rulebook.load import load_rulebook

    try:
        rb = load_rulebook(_folder(folder))
    except RulesError as exc:
        fail(exc)
        return
    ids = [v.id for v in rb.versions]
    if version is not None and version not in ids:
        from ..errors import did_you_mean

        fail(LiabilityError(Problem(msg("cli.no_version", version=version), field="VERSION", value=version, allowed=ids,
                                    suggestion=did_you_mean(version, ids))))
    if fmt not in ("text", "markdown"):
        fail(LiabilityError(Problem(msg("cli.unknown_format", format=fmt), field="--format",
                                    allowed=["text", "markdown"])))
    chosen = [v for v in rb.versions if version is None or v.id == version]
    language = pick_lang(lang)
    if article is not None:
        numbered = sorted({r.article for v in chosen for r in v.rules if r.article is not None})
        if article not in numbered:
            said = (msg("cli.no_rule_cites_in", version=version, article=article) if version
                    else msg("cli.no_rule_cites", article=article))
            error = LiabilityError(Problem(said, field="--article", value=article,
                                           allowed=[str(n) for n in numbered]))
            render.print_error(render.stderr_console(), error, language)
            raise Exit(2)
    if interpretations:
        import sys

        sys.stdout.write(interpretations_markdown(rb, chosen))  # both languages: zh and en side by side
    elif fmt == "markdown":
        import sys

        sys.stdout.write(rules_markdown(rb, chosen, article, language))
    else:
        rules_table(rb, chosen, article, language, render.stdout_console())

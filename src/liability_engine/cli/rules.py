"""`liability rules check|test|show`: the rule authors' toolchain."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import LiabilityError, Problem, RulesError
from ._common import Exit, Lang, LangOption, fail, pick_lang

__all__ = ["app"]

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Check, test and show a rulebook (default: the bundled rules).")

DirArgument = typer.Argument(None, help="A rulebook folder (default: the bundled rules).", show_default=False)


def _folder(folder: Optional[Path]) -> Path:
    from ..evaluate.engine import bundled_rules_path

    if folder is None:
        return bundled_rules_path()
    if folder.exists() and not folder.is_dir():
        fail(LiabilityError(Problem(
            "this is a file, and a rulebook is a folder (findings.yaml, vocabulary.yaml and one folder per version): "
            "give the folder", path=str(folder),
            message_zh="这是一个文件；规则库是一个文件夹（含 findings.yaml、vocabulary.yaml 和每个版本的文件夹），请给出该文件夹")))
    if not folder.is_dir():
        fail(LiabilityError(Problem("rulebook folder not found", message_zh="找不到规则库文件夹", path=str(folder))))
    return folder


@app.command()
def check(folder: Optional[Path] = DirArgument) -> None:
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
        err.print(f"{len(problems)} problem(s)")
        raise Exit(2)  # a rulebook with problems is invalid input
    assert rulebook is not None
    rules = sum(len(v.rules) + len(v.temporal_rules) for v in rulebook.versions)
    extra = f", {procedure_rules} procedure rules and deadlines" if procedure_rules else ""
    render.stdout_console().print(f"ok: {len(rulebook.versions)} versions, {rules} rules{extra}, no problems")


@app.command("test")
def test_cases(
    folder: Optional[Path] = DirArgument,
    pattern: Optional[str] = typer.Option(None, "-k", help="Only cases whose file or name contains this text."),
    show_coverage: bool = typer.Option(False, "--coverage", help="Report, per rule, the cases that fire it and "
                                                                   "the cases that just miss it."),
    min_coverage: Optional[float] = typer.Option(None, "--min-coverage", help="Fail if a version's fire or "
                                                 "near-miss coverage is under N percent.", show_default=False),
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
    out = render.stdout_console()
    results = [run_case(engine, c) for c in cases]
    case_results(results, out)
    failed = any(not r.passed for r in results) or not results
    if not results:
        out.print("no test cases found (rules/<version>/tests/*.yaml)")
    if show_coverage or min_coverage is not None:
        if pattern:
            out.print("note: coverage over the selected cases only (-k)")
        summary = coverage_table(coverage(engine, results), out)
        if min_coverage is not None:
            low = {v: c for v, c in summary.items() if min(c) < min_coverage}
            for v, (f, m) in low.items():
                out.print(f"version {v} is under --min-coverage {min_coverage:g}: {f:.0f}% fired, {m:.0f}% missed")
            failed = failed or bool(low)
    if failed:
        raise Exit(2)  # rules that fail their own cases (or the coverage asked for) are a rulebook with problems


@app.command()
def show(
    version: Optional[str] = typer.Argument(None, help="A version (default: all)."),
    article: Optional[int] = typer.Option(None, "--article", help="Only the rules of this article."),
    fmt: str = typer.Option("text", "--format", "-f", help="text (a table) or markdown."),
    lang: Optional[Lang] = LangOption,
    folder: Optional[Path] = typer.Option(None, "--rules", help="A rulebook folder (default: the bundled rules)."),
    interpretations: bool = typer.Option(False, "--interpretations", help="Only the readings beyond the words "
                                         "(interpretation:), with their rules and reasons in zh and en "
                                         "(docs/interpretations.md)."),
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

        fail(LiabilityError(Problem(f"no version '{version}'", field="VERSION", value=version, allowed=ids,
                                    suggestion=did_you_mean(version, ids))))
    if fmt not in ("text", "markdown"):
        fail(LiabilityError(Problem(f"unknown format '{fmt}'", field="--format", allowed=["text", "markdown"])))
    chosen = [v for v in rb.versions if version is None or v.id == version]
    language = pick_lang(lang)
    if article is not None:
        numbered = sorted({r.article for v in chosen for r in v.rules if r.article is not None})
        if article not in numbered:
            where = f"version {version}" if version else "any version"
            where_zh = f"{version} 版本" if version else "任何版本"
            error = LiabilityError(Problem(f"no rule of {where} cites Art. {article}", field="--article",
                                           message_zh=f"{where_zh}中没有引用第 {article} 条的规则", value=article,
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

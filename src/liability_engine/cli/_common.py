"""What the command modules share: options, exit handling, loading the engine."""

from __future__ import annotations

import datetime as _dt
from enum import Enum
from pathlib import Path
from typing import Iterator, List, Optional

import typer

from ..evaluate.engine import Engine, bundled_rules_path
from ..i18n import msg
from ..errors import LiabilityError, Problem, RulesError

class Format(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


FACT_SUFFIXES = (".yaml", ".yml", ".json")


class Exit(Exception):
    def __init__(self, code: int):
        self.code = code


def parse_as_of(value: Optional[str]) -> Optional[_dt.date]:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        fail(LiabilityError(Problem(msg("cli.not_a_date", value=value), field="--as-of", value=value)))
    return None


def fail(error: LiabilityError) -> None:
    from ..render import print_error, stderr_console

    print_error(stderr_console(), error)
    raise Exit(2)


def refuse_folder_as_log(db: Path) -> None:
    """A decision log is one file: a folder given for it is said to be a folder (not "does not exist")."""
    if Path(db).is_dir():
        fail(LiabilityError(Problem(msg("input_guard.log_is_folder"), path=str(db))))


def refuse_writing_over_input(out: Optional[Path], given: Optional[str], option: str) -> None:
    """An output file (`report -o`, `train --report`) that is the input file itself would replace what the user
    wrote with what the program wrote: refused before anything is read or written."""
    import os

    if out is None or given is None or given == "-":
        return
    try:
        same = os.path.samefile(out, given)
    except OSError:  # either does not exist (yet): not the same file
        return
    if same:
        fail(LiabilityError(Problem(msg("input_guard.output_is_input", input=given), path=str(out), field=option)))


def check_backend(backend: str) -> None:
    """An unknown backend, or `durable` where durable-rules cannot run: a clear message and exit 2."""
    from ..runtime import BACKENDS, resolve_backend

    if backend not in BACKENDS:
        fail(LiabilityError(Problem(msg("cli.unknown_backend", backend=backend), field="--backend", value=backend,
                                    allowed=list(BACKENDS))))
    try:
        resolve_backend(backend)
    except LiabilityError as exc:
        fail(exc)


def rules_folder(rules: Optional[Path]) -> Path:
    """The rulebook folder a command uses: --rules, else the bundled rules."""
    return Path(rules) if rules is not None else bundled_rules_path()


def load_engine(rules: Optional[Path], backend: str) -> Engine:
    """The engine for a command: the rulebook comes through the compiled-rulebook cache."""
    from ..compile.rulecache import engine_for

    check_backend(backend)
    try:
        return engine_for(rules_folder(rules), backend)  # type: ignore[no-any-return]
    except RulesError as exc:
        fail(exc)
        raise  # unreachable


def expand_inputs(paths: List[str]) -> Iterator[str]:
    for raw in paths:
        path = Path(raw)
        if raw != "-" and path.is_dir():
            # a link to nowhere named like a facts file is reported ("no such file"), not skipped without a word
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in FACT_SUFFIXES
                           and (p.is_file() or (p.is_symlink() and not p.exists())))
            if not found:
                yield raw  # reported as "no facts files in this folder"
            yield from (str(p) for p in found)
        else:
            yield raw


def pick_lang(lang: Optional[Lang]) -> str:
    """The language of a command's output: its --lang, else the program's (i18n.choose_lang)."""
    from .. import i18n

    return lang.value if lang else i18n.current()


RulesOption = typer.Option(None, "--rules",
                           show_default=False)
BackendOption = typer.Option("auto", "--backend", show_default=False)  # the help says the default
AsOfOption = typer.Option(None, "--as-of",
                          show_default=False)
LangOption = typer.Option(None, "--lang", show_default=False)



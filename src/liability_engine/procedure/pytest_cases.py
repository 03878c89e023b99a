"""pytest collection of the procedure rules' YAML cases (hooked into the project's pytest plugin)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

__all__ = ["is_procedure_case_file", "ProcedureCaseFile"]


def is_procedure_case_file(path: Path) -> bool:
    return (path.suffix == ".yaml" and path.parent.name == "tests" and path.parent.parent.name == "procedure"
            and (path.parent.parent / "procedure.yaml").is_file()
            and (path.parent.parent.parent / "manifest.yaml").is_file())


class ProcedureCaseFailure(Exception):
    pass


class ProcedureCaseFile(pytest.File):
    def collect(self) -> Iterator["ProcedureCaseItem"]:
        from ..evaluate.engine import Engine
        from .cases import load_cases

        engine = Engine.from_path(self.path.parents[3], backend="python")
        for case in load_cases([self.path]):
            yield ProcedureCaseItem.from_parent(self, name=case.name, engine=engine, case=case)


class ProcedureCaseItem(pytest.Item):
    def __init__(self, *, engine: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.engine = engine
        self.case = case

    def runtest(self) -> None:
        from .cases import run_case

        diffs = run_case(self.engine, self.case)
        if diffs:
            raise ProcedureCaseFailure(diffs)

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, ProcedureCaseFailure):
            lines = "\n".join(f"  - {d}" for d in excinfo.value.args[0])
            return f"{self.case.file}:{self.case.line}: {self.case.name}\n{lines}"
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, (self.case.line or 1) - 1, f"procedure case: {self.case.name}"

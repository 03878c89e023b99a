"""A pytest plugin (entry point `pytest11`) that collects `rules/<version>/tests/*.yaml` (and the
procedure rules' cases, `rules/<version>/procedure/tests/*.yaml`).

With it, `pytest` runs the rule authors' YAML cases with the rest of the suite, and a rule
author can run `pytest rules/` on a rulebook of their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

__all__ = ["pytest_collect_file"]


def _is_rule_test(path: Path) -> bool:
    return (path.suffix == ".yaml" and path.parent.name == "tests"
            and (path.parent.parent / "manifest.yaml").is_file()
            and (path.parent.parent.parent / "findings.yaml").is_file())


def pytest_collect_file(file_path: Path, parent: Any) -> Any:
    if _is_rule_test(file_path):
        if file_path.name.startswith("allocation-"):  # cases of rules/<version>/allocation.yaml
            return AllocationCaseFile.from_parent(parent, path=file_path)
        return RuleCaseFile.from_parent(parent, path=file_path)
    if file_path.suffix == ".yaml" and file_path.parent.parent.name == "procedure":
        from ..procedure.pytest_cases import ProcedureCaseFile, is_procedure_case_file

        if is_procedure_case_file(file_path):
            return ProcedureCaseFile.from_parent(parent, path=file_path)
    return None


class AllocationCaseFile(pytest.File):
    def collect(self) -> Iterator["AllocationCaseItem"]:
        from ..allocation.cases import load_allocation_cases
        from ..allocation.rules import allocation_rules_for
        from ..evaluate.engine import Engine

        engine = Engine.from_path(self.path.parent.parent.parent)
        books = allocation_rules_for(engine.rulebook)
        for case in load_allocation_cases(self.path.parent.parent.parent, files=[self.path]):
            yield AllocationCaseItem.from_parent(self, name=case.name, book=books.get(case.version), case=case)


class _CaseItem(pytest.Item):
    """One YAML case: a failure lists its differences at the case's file and line."""

    kind = "rule case"

    def __init__(self, *, case: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, RuleCaseFailure):
            lines = "\n".join(f"  - {d}" for d in excinfo.value.args[0])
            return f"{self.case.file}:{self.case.line}: {self.case.name}\n{lines}"
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, (self.case.line or 1) - 1, f"{self.kind}: {self.case.name}"


class AllocationCaseItem(_CaseItem):
    kind = "allocation case"

    def __init__(self, *, book: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(case=case, **kwargs)
        self.book = book

    def runtest(self) -> None:
        from ..allocation.cases import run_allocation_case

        result = run_allocation_case(self.book, self.case)
        if not result.passed:
            raise RuleCaseFailure(result.differences)


class RuleCaseFailure(Exception):
    pass


class RuleCaseFile(pytest.File):
    def collect(self) -> Iterator["RuleCaseItem"]:
        from ..evaluate.engine import Engine
        from .rule_tests import load_cases

        engine = Engine.from_path(self.path.parent.parent.parent)
        for case in load_cases(engine, files=[self.path]):
            yield RuleCaseItem.from_parent(self, name=case.name, engine=engine, case=case)


class RuleCaseItem(_CaseItem):
    def __init__(self, *, engine: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(case=case, **kwargs)
        self.engine = engine

    def runtest(self) -> None:
        from .rule_tests import run_case

        result = run_case(self.engine, self.case)
        if not result.passed:
            raise RuleCaseFailure(result.differences)

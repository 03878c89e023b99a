"""A pytest plugin (entry point `pytest11`) that collects the YAML cases beside the rules: the rule
cases (`rules/<version>/tests/*.yaml`), the allocation cases (`rules/<version>/tests/allocation-*.yaml`)
and the procedure rules' cases (`rules/<version>/procedure/tests/*.yaml`).

With it, `pytest` runs the rule authors' YAML cases with the rest of the suite, and a rule
author can run `pytest rules/` on a rulebook of their own. Every kind of case is one pytest item
(`CaseItem`): it runs the case and fails with its differences, at the case's file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

__all__ = ["pytest_collect_file"]


def _is_rule_test(path: Path) -> bool:
    return (path.suffix == ".yaml" and path.parent.name == "tests"
            and (path.parent.parent / "manifest.yaml").is_file()
            and (path.parent.parent.parent / "findings.yaml").is_file())


def _is_procedure_test(path: Path) -> bool:
    return (path.suffix == ".yaml" and path.parent.name == "tests" and path.parent.parent.name == "procedure"
            and (path.parent.parent / "procedure.yaml").is_file()
            and (path.parent.parent.parent / "manifest.yaml").is_file())


def pytest_collect_file(file_path: Path, parent: Any) -> Any:
    if _is_rule_test(file_path):
        if file_path.name.startswith("allocation-"):  # cases of rules/<version>/allocation.yaml
            return AllocationCaseFile.from_parent(parent, path=file_path)
        return RuleCaseFile.from_parent(parent, path=file_path)
    if _is_procedure_test(file_path):
        return ProcedureCaseFile.from_parent(parent, path=file_path)
    return None


class RuleCaseFailure(Exception):
    pass


class CaseItem(pytest.Item):
    """One YAML case: `run()` gives its differences (none: it passes); a failure lists them at the case's
    file and line."""

    def __init__(self, *, case: Any, run: Callable[[], list[Any]], kind: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case, self.run, self.kind = case, run, kind

    def runtest(self) -> None:
        differences = self.run()
        if differences:
            raise RuleCaseFailure(differences)

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, RuleCaseFailure):
            lines = "\n".join(f"  - {d}" for d in excinfo.value.args[0])
            return f"{self.case.file}:{self.case.line}: {self.case.name}\n{lines}"
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, (self.case.line or 1) - 1, f"{self.kind}: {self.case.name}"


class RuleCaseFile(pytest.File):
    def collect(self) -> Iterator[CaseItem]:
        from ..evaluate.engine import Engine
        from .rule_tests import load_cases, run_case

        engine = Engine.from_path(self.path.parent.parent.parent)
        for case in load_cases(engine, files=[self.path]):
            yield CaseItem.from_parent(self, name=case.name, case=case, kind="rule case",
                                       run=lambda case=case: run_case(engine, case).differences)


class AllocationCaseFile(pytest.File):
    def collect(self) -> Iterator[CaseItem]:
        from ..allocation.cases import load_allocation_cases, run_allocation_case
        from ..allocation.rules import allocation_rules_for
        from ..evaluate.engine import Engine

        engine = Engine.from_path(self.path.parent.parent.parent)
        books = allocation_rules_for(engine.rulebook)
        for case in load_allocation_cases(self.path.parent.parent.parent, files=[self.path]):
            book = books.get(case.version)
            yield CaseItem.from_parent(self, name=case.name, case=case, kind="allocation case",
                                       run=lambda case=case, book=book: run_allocation_case(book, case).differences)


class ProcedureCaseFile(pytest.File):
    def collect(self) -> Iterator[CaseItem]:
        from ..evaluate.engine import Engine
        from ..procedure.cases import load_cases, run_case

        engine = Engine.from_path(self.path.parents[3], backend="python")
        for case in load_cases([self.path]):
            yield CaseItem.from_parent(self, name=case.name, case=case, kind="procedure case",
                                       run=lambda case=case: run_case(engine, case))

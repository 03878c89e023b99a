"""Each stage package states its public API in `__all__` and imports a module only when one of its
names is first used (PEP 562), so that importing a package costs nothing and packages may name
each other's modules in any order without an import cycle."""

from __future__ import annotations

import importlib
from typing import Any, Callable

__all__ = ["exports"]


def exports(package: str, modules: dict[str, list[str]]) -> tuple[list[str], Callable[[str], Any]]:
    """(`__all__`, `__getattr__`) for `package`, whose public names come from its modules, given as
    {".module": [names]}."""
    where = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module, package), name)

    return list(where), __getattr__

"""Where the files shipped beside the code are: in a wheel, inside the package; in a checkout
(an editable install), at the top of the repository."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["PACKAGE_DIR", "bundled", "user_folder"]

#: The folder of the `liability_engine` package.
PACKAGE_DIR = Path(__file__).resolve().parent


def bundled(in_wheel: str, in_checkout: str, marker: str | None = None) -> Path | None:
    """The shipped folder named `in_wheel` inside the package (a wheel) or `in_checkout` at the top of
    the checkout (editable), whichever is there (and holds the file `marker`, when given); else None."""
    for candidate in (PACKAGE_DIR / in_wheel, PACKAGE_DIR.parent.parent / in_checkout):
        if (candidate / marker).is_file() if marker else candidate.is_dir():
            return candidate
    return None


_XDG = {"data": ("XDG_DATA_HOME", (".local", "share")), "cache": ("XDG_CACHE_HOME", (".cache",))}


def user_folder(kind: str) -> Path:
    """This user's `liability-engine` folder of XDG `kind` ("data": kept, the training progress and the decision
    log; "cache": rebuilt at will): under $XDG_DATA_HOME / $XDG_CACHE_HOME, else ~/.local/share / ~/.cache. A
    relative XDG value is ignored, as the XDG specification says. RuntimeError when there is no home folder."""
    variable, default = _XDG[kind]
    base = os.environ.get(variable)
    root = Path(base).expanduser() if base and os.path.isabs(base) else Path.home().joinpath(*default)
    return root / "liability-engine"

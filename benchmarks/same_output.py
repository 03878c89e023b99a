"""Record what the `liability` program prints for a fixed set of inputs, and compare two such records
byte by byte: the check that a change of structure changed no behaviour.

    .venv/bin/python benchmarks/same_output.py record OUT_DIR        # run the installed program
    .venv/bin/python benchmarks/same_output.py compare BEFORE AFTER  # exit 1 on any difference

The inputs: every facts file in `facts/`, and the `facts:` block of every reference case in
../shared/reference-cases when that folder is there (skipped, with a line saying so, when it is not).
For each input: `evaluate --format json` (durable and python backends) and `explain -f markdown` in zh
and en, all `--as-of 2026-01-01` so that today's date does not matter; for the folders:
`versions diff 2020 2024` and `2015 2024`, as text (zh, en) and JSON. Each output file holds the
command, its exit status, its stdout and its stderr. Inputs are named by paths relative to the
working folder, so that no output depends on where the record was taken.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED_CASES = ROOT.parent / "shared" / "reference-cases"
AS_OF = ["--as-of", "2026-01-01"]


def _program() -> str:
    exe = Path(sys.executable).with_name("liability")
    return str(exe) if exe.exists() else "liability"


def _commands(cwd: Path, folders: list[str]) -> list[tuple[str, list[str]]]:
    """(output name, argv) for every input under `folders` (relative to `cwd`)."""
    out: list[tuple[str, list[str]]] = []
    for folder in folders:
        for path in sorted((cwd / folder).glob("*.yaml")):
            rel, stem = f"{folder}/{path.name}", f"{folder}__{path.stem}"
            out.append((f"{stem}.evaluate.json", ["evaluate", rel, "--format", "json", *AS_OF]))
            out.append((f"{stem}.evaluate.python.json",
                        ["evaluate", rel, "--format", "json", "--backend", "python", *AS_OF]))
            for lang in ("zh", "en"):
                out.append((f"{stem}.explain.{lang}.md", ["explain", rel, "-f", "markdown", "--lang", lang, *AS_OF]))
        for old in ("2020", "2015"):
            base = f"{folder}.diff-{old}-2024"
            out.append((f"{base}.json", ["versions", "diff", old, "2024", f"{folder}/", "-f", "json"]))
            for lang in ("zh", "en"):
                out.append((f"{base}.{lang}.txt", ["versions", "diff", old, "2024", f"{folder}/", "--lang", lang]))
    return out


def record(out_dir: Path, jobs: int) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        shutil.copytree(ROOT / "facts", cwd / "facts")
        folders = ["facts"]
        if SHARED_CASES.is_dir():
            (cwd / "cases").mkdir()
            for case in sorted(SHARED_CASES.glob("*.yaml")):
                data = yaml.safe_load(case.read_text(encoding="utf-8"))
                (cwd / "cases" / case.name).write_text(
                    yaml.safe_dump(data["facts"], allow_unicode=True, sort_keys=False), encoding="utf-8")
            folders.append("cases")
        else:
            print(f"skipped the reference cases: {SHARED_CASES} is not there")
        program = _program()

        def run(item: tuple[str, list[str]]) -> None:
            name, argv = item
            env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(Path.home()), "COLUMNS": "120"}
            if os.environ.get("PYTHONPATH"):  # another tree of the code than the installed one (a baseline)
                env["PYTHONPATH"] = os.environ["PYTHONPATH"]
            proc = subprocess.run([program, *argv], cwd=cwd, capture_output=True, env=env)
            (out_dir / name).write_bytes(b"$ liability " + " ".join(argv).encode() + b"\n"
                                         + f"exit {proc.returncode}\n--- stdout\n".encode() + proc.stdout
                                         + b"--- stderr\n" + proc.stderr)

        commands = _commands(cwd, folders)
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(run, commands))
    print(f"recorded {len(commands)} outputs in {out_dir}")
    return 0


def compare(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    differ = [n for n in names if not ((before / n).is_file() and (after / n).is_file()
                                       and filecmp.cmp(before / n, after / n, shallow=False))]
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(names) - len(differ)} of {len(names)} outputs byte-identical")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("out_dir", type=Path)
    rec.add_argument("--jobs", type=int, default=2)
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("before", type=Path)
    cmp_.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.what == "record":
        return record(args.out_dir, args.jobs)
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())

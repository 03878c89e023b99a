"""The program's own sentences in Chinese and English, from one catalogue (`rules/messages.yaml`).

Legal words (findings, fields, values, article texts) stay in the rule files; this is for what the
program itself says: help, errors, headings, prompts, warnings. Each entry is a key with a `zh` and an
`en` text and the same named placeholders (`{path}`) in both; `tests/test_i18n.py` checks the catalogue
against the code.

The language: `--lang`, else `LIABILITY_LANG`, else the first of `LC_ALL`, `LC_MESSAGES`, `LANG`,
`LANGUAGE` that is set (zh… → zh, anything else, `C` included → en), else Chinese, the users'
language (`choose_lang`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

if TYPE_CHECKING:
    from ..wording import Bilingual

__all__ = ["Message", "msg", "text", "has", "choose_lang", "lang_from_argv", "use", "current", "catalogue",
           "DEFAULT_LANG", "LANGS", "without_lang", "localized", "join", "join_each", "pair", "word", "keys_of"]

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"  # nothing in the environment says otherwise: the users read Chinese
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")

_current: str | None = None


def _catalogue_path() -> Path:
    from ..resources import PACKAGE_DIR, bundled

    found = bundled("rules", "rules", marker="messages.yaml")
    if found is None:
        raise RuntimeError(f"the message catalogue (rules/messages.yaml) is missing under {PACKAGE_DIR}; "
                           "reinstall the package")
    return found / "messages.yaml"


@lru_cache(maxsize=1)
def catalogue() -> Mapping[str, Mapping[str, str]]:
    """key → {"zh": text, "en": text}, read once (flattened: nested mappings join their keys with '.')."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with _catalogue_path().open("rb") as handle:
        data = yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader
    flat: dict[str, Mapping[str, str]] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict) and set(node) <= set(LANGS) and node:
            flat[prefix] = {k: str(v) for k, v in node.items()}
            return
        for key, value in node.items():
            walk(f"{prefix}.{key}" if prefix else str(key), value)

    walk("", data)
    return flat


def has(key: str) -> bool:
    return key in catalogue()


class Message(str):
    """A sentence of the catalogue: the English text (what `str()` gives, for logs and the API), with
    the Chinese beside it (`.zh`) and its key. `get(lang)` gives either."""

    zh: str
    key: str | None

    def __new__(cls, en: str, zh: str | None = None, key: str | None = None) -> "Message":
        obj = super().__new__(cls, en)
        obj.zh = en if zh is None else zh
        obj.key = key
        return obj

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else str(self)

    def bilingual(self) -> "Bilingual":
        """The sentence as the code's one bilingual type (zh, en)."""
        from ..wording import Bilingual

        return Bilingual.pair(self.zh, str(self))

    def __reduce__(self) -> Any:  # keep the Chinese across processes (batch workers)
        return (Message, (str(self), self.zh, self.key))

    def __add__(self, other: Any) -> "Message":
        return Message(str(self) + str(other), self.zh + (other.zh if isinstance(other, Message) else str(other)),
                       None)


def join(key: str, items: Sequence[Any]) -> Message:
    """`items` joined by the catalogue's word `key` (" defeats " / " 优先于 "), in both languages."""
    entry = catalogue()[key]
    return Message(entry["en"].join(map(str, items)), entry["zh"].join(map(str, items)), key)


def pair(en: str, zh: str) -> Message:
    """A text that is already in both languages (a rule file's Bilingual, a label and its `label_zh`), as a
    Message: a placeholder value that `msg` fills in the language of each side."""
    return Message(en, zh)


def _sides(item: Any) -> tuple[str, str]:
    if isinstance(item, Message):
        return str(item), item.zh
    if hasattr(item, "zh") and hasattr(item, "en"):  # a wording.Bilingual
        return item.en, item.zh
    return str(item), str(item)


def join_each(key: str, items: Sequence[Any]) -> Message:
    """Texts in both languages (Messages or Bilinguals) joined by the catalogue's word `key`, each language
    with its own side: `；` between the Chinese texts, `; ` between the English ones."""
    entry = catalogue()[key]
    sides = [_sides(item) for item in items]
    return Message(entry["en"].join(en for en, _ in sides), entry["zh"].join(zh for _, zh in sides), key)


def localized(value: Any, lang: str) -> str:
    """A Message in `lang`; any other text as it is."""
    return value.get(lang) if isinstance(value, Message) else str(value)


def _in(value: Any, lang: str) -> Any:
    if isinstance(value, Message):
        return value.get(lang)
    if not isinstance(value, str) and hasattr(value, "zh") and hasattr(value, "en"):  # a wording.Bilingual
        return value.zh if lang == "zh" else value.en
    return value


def _fill(template: str, params: Mapping[str, Any], lang: str) -> str:
    """`template` with its placeholders; a Message or a Bilingual fills each language with its own side."""
    return template.format(**{k: _in(v, lang) for k, v in params.items()})


def msg(key: str, /, **params: Any) -> Message:
    """The catalogue's sentence `key` in both languages, with its placeholders filled."""
    entry = catalogue()[key]
    return Message(_fill(entry["en"], params, "en"), _fill(entry["zh"], params, "zh"), key)


def text(key: str, lang: str | None = None, /, **params: Any) -> str:
    """The catalogue's sentence `key` in `lang` (default: the program's language)."""
    lang = lang or current()
    return _fill(catalogue()[key][lang], params, lang)


def word(key: str, lang: str | None, default: str) -> str:
    """The catalogue's word `key` (`allocation.result.bears`) in `lang` (default: the program's language), or
    `default` when the catalogue has no such word: a value it names no word for (a code from a log or a newer
    rule file) reads as written."""
    entry = catalogue().get(key)
    return default if entry is None else entry[lang or current()]


def keys_of(table: str) -> tuple[str, ...]:
    """The last parts of the catalogue's keys directly under `table` (`allocation.result` → bears,
    bears_mainly, …), in the catalogue's order: the choices of a question, the codes a table has words for."""
    prefix = table + "."
    return tuple(key[len(prefix):] for key in catalogue() if key.startswith(prefix) and "." not in key[len(prefix):])


def _from_locale(value: str) -> str:
    return "zh" if value.strip().lower().startswith("zh") else "en"


def choose_lang(option: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The one place the language is decided: `--lang`, LIABILITY_LANG, the locale, then Chinese."""
    if option:
        return _from_locale(option)
    env = os.environ if environ is None else environ
    if env.get("LIABILITY_LANG"):
        return _from_locale(env["LIABILITY_LANG"])
    for var in LOCALE_VARS:
        if env.get(var):
            return _from_locale(env[var])
    return DEFAULT_LANG


def lang_from_argv(argv: Sequence[str]) -> str | None:
    """The value of `--lang zh` / `--lang=zh` in a command line, before the command line is parsed (the
    help texts are built before the options are)."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
    return found if found in LANGS else None


def without_lang(argv: Sequence[str]) -> list[str]:
    """The command line without its `--lang X` / `--lang=X` (for the group, which takes no --lang)."""
    out: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("--lang="):
            out.append(arg)
    return out


def use(lang: str) -> None:
    """Set the program's language (the CLI does, once, from its command line and environment)."""
    global _current
    _current = lang if lang in LANGS else choose_lang(lang)


def current() -> str:
    """The program's language: the one `use()` set, else the environment's."""
    return _current or choose_lang()

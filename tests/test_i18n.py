"""The message catalogue (rules/messages.yaml), the choice of language, and help in either language."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from liability_engine import i18n
from liability_engine.i18n import catalogue, choose_lang, lang_from_argv, msg, text

from conftest import ROOT, run_cli

SRC = ROOT / "src" / "liability_engine"


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _source() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))


def test_every_entry_has_both_languages_with_the_same_placeholders():
    assert len(catalogue()) > 50
    for key, entry in catalogue().items():
        assert set(entry) == {"zh", "en"}, key
        assert entry["zh"].strip() and entry["en"].strip(), key
        assert _placeholders(entry["zh"]) == _placeholders(entry["en"]), key
        if key.startswith(("help.", "meta.", "click.")) or not re.search("[A-Za-z]", re.sub(r"\{\w+\}", "", entry["en"])):
            continue
        # the Chinese text is Chinese (a test that a translation was not left out by copying the English)
        assert re.search(r"[\u4e00-\u9fff]", entry["zh"]), key


def _help_keys() -> set[str]:
    """The help.* and meta.* keys the command tree asks for."""
    from typer.main import get_command

    from liability_engine.cli import build_app
    from liability_engine.i18n.clicktext import help_key, walk

    wanted = set()
    for path, cmd in walk(get_command(build_app())):
        key = help_key(path)
        assert key, f"no help for `liability {' '.join(path)}` in the catalogue (help.{'.'.join(path)}._)"
        wanted.add(key)
        for param in cmd.params:
            key = help_key(path, param.name)
            assert key, f"no help for {param.name} of `liability {' '.join(path)}` in the catalogue"
            wanted.add(key)
            if i18n.has(f"meta.{param.name}"):
                wanted.add(f"meta.{param.name}")
    return wanted | {"meta.command"}


def test_no_key_is_unused_and_no_used_key_is_missing():
    source = _source()
    used = set(re.findall(r"""(?:msg|text|Problem\.of|_w|_m|M)\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""", source))
    # keys built in an f-string (f"report.{key}", f"versions.confidence_{c}"): the literal part before the {
    families = tuple(p for p in re.findall(r"""f["']([a-z0-9_]+\.[a-z0-9_.]*)\{""", source))
    missing = sorted(k for k in used if k not in catalogue())
    assert not missing, f"used in src/ but not in rules/messages.yaml: {missing}"
    helps = _help_keys()
    unused = sorted(k for k in catalogue()
                    if k not in helps and not re.search(rf"""["']{re.escape(k)}["']""", source)
                    and not k.startswith(families))
    assert not unused, f"in rules/messages.yaml but used nowhere in src/: {unused}"
    stale = sorted(k for k in catalogue() if k.startswith(("help.", "meta.")) and k not in helps)
    assert not stale, f"help for commands or options that do not exist: {stale}"


def test_msg_carries_both_languages():
    m = msg("click.no_such_option", option="--x")
    assert str(m) == "no such option: --x" and m.zh == "没有选项 --x"
    assert m.get("zh") == m.zh and m.get("en") == str(m)
    import pickle

    assert pickle.loads(pickle.dumps(m)).zh == m.zh
    assert text("click.no_such_option", "zh", option="--y") == "没有选项 --y"


@pytest.mark.parametrize("option, env, expected", [
    ("en", {"LIABILITY_LANG": "zh", "LANG": "zh_CN.UTF-8"}, "en"),
    ("zh", {"LANG": "C.UTF-8"}, "zh"),
    (None, {"LIABILITY_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
    (None, {"LIABILITY_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
    (None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    (None, {"LC_ALL": "", "LC_MESSAGES": "en_GB", "LANG": "zh_CN.UTF-8"}, "en"),
    (None, {"LANG": "zh_TW.UTF-8"}, "zh"),
    (None, {"LANG": "C.UTF-8", "LANGUAGE": "zh_CN:en"}, "en"),
    (None, {"LANGUAGE": "zh_CN:en"}, "zh"),
    (None, {"LANG": "C"}, "en"),
    (None, {}, "zh"),  # nothing set: the users read Chinese
])
def test_choose_lang(option, env, expected):
    assert choose_lang(option, env) == expected


def test_lang_from_argv():
    assert lang_from_argv(["evaluate", "x.yaml", "--lang", "zh"]) == "zh"
    assert lang_from_argv(["evaluate", "--lang=en", "x.yaml"]) == "en"
    assert lang_from_argv(["evaluate", "--lang"]) is None
    assert lang_from_argv(["evaluate", "--", "--lang", "zh"]) is None


def _zh_env_run(*args: str):
    import os
    import subprocess

    from conftest import cli_command

    env = dict(os.environ, COLUMNS="100", LANG="zh_CN.UTF-8", PYTHONIOENCODING="utf-8")
    env.pop("LIABILITY_LANG", None)
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    return subprocess.run([*cli_command(), *args], capture_output=True, text=True, env=env, encoding="utf-8",
                          timeout=120)


@pytest.mark.parametrize("how", ["option", "locale"])
def test_help_is_chinese(how):
    run = (lambda *a: run_cli(*a, "--lang", "zh")) if how == "option" else _zh_env_run
    out = run("evaluate", "--help").stdout
    assert "用法：liability evaluate [选项] [文件]..." in out
    assert "选项：" in out and "显示本帮助并退出。" in out and "规则引擎：auto（默认" in out
    for word in ("Usage", "Options", "Show this message", "default:", "Determine"):
        assert word not in out
    top = run("--help").stdout
    assert "命令：" in top and "人民检察院司法责任认定" in top


def test_help_is_english_with_lang_en():
    out = run_cli("evaluate", "--help", "--lang", "en").stdout
    assert "Usage: liability evaluate [OPTIONS] [FILES]..." in out
    assert "Show this message and exit." in out and "Determine the judicial responsibility" in out


@pytest.mark.parametrize("args, zh, en", [
    (["evaluate", "--bogus"], "错误：没有选项 --bogus", "error: no such option: --bogus"),
    (["evaluate", "--jobs", "x"], "错误：--jobs / -j 应为整数", "error: --jobs / -j takes a whole number"),
    (["evaluate", "-f", "xml"], "错误：--format / -f 的取值 'xml' 无效；允许：text, json, markdown",
     "error: invalid value 'xml' for --format / -f; allowed: text, json, markdown"),
    (["versions", "diff"], "错误：缺少参数 旧版本", "error: missing argument OLD"),
    (["rules", "show", "2024", "extra"], "错误：多余的参数：extra", "error: unexpected extra arguments: extra"),
    (["bogus"], "错误：没有命令 'bogus'", "error: no such command 'bogus'"),
])
def test_usage_errors_in_both_languages(args, zh, en):
    for lang, expected in (("zh", zh), ("en", en)):
        proc = run_cli(*args, "--lang", lang)
        assert proc.returncode == 2, proc.stderr
        assert expected in proc.stderr, proc.stderr
        assert ("用法：" if lang == "zh" else "Usage: ") in proc.stderr

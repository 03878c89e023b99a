"""The compiled-rulebook cache (compile/rulecache.py): same rulebook as loading the YAML, never stale, never unsafe."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from liability_engine import RulesError, load_rulebook
from liability_engine.compile import rulecache
from liability_engine.evaluate import bundled_rules_path


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("LIABILITY_CACHE_DIR", str(folder))
    monkeypatch.delenv("LIABILITY_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(bundled_rules_path(), copy)
    return copy


def test_a_cached_rulebook_is_the_rulebook_loaded_from_yaml(cache: Path, rules: Path) -> None:
    first = rulecache.cached_rulebook(rules)  # a miss: loads the YAML, writes the cache
    assert list(cache.glob("rulebook-*.pickle"))
    second = rulecache.cached_rulebook(rules)  # a hit
    fresh = load_rulebook(rules)
    assert second.digest == first.digest == fresh.digest
    assert [r.id for v in second.versions for r in v.rules] == [r.id for v in fresh.versions for r in v.rules]
    assert second.versions[-1].rules[0].condition == fresh.versions[-1].rules[0].condition


def test_editing_a_rule_file_is_seen_at_once(cache: Path, rules: Path) -> None:
    before = rulecache.cached_rulebook(rules)
    target = next(p for p in sorted((rules / "2024").glob("*.yaml")) if "finding: gross_negligence" in p.read_text())
    target.write_text(target.read_text(encoding="utf-8").replace("finding: gross_negligence", "finding: flaw", 1),
                      encoding="utf-8")
    after = rulecache.cached_rulebook(rules)
    assert after.digest != before.digest
    assert after.digest == load_rulebook(rules).digest
    assert any(r.finding == "flaw" and r.file == str(target) for v in after.versions for r in v.rules)


def test_a_broken_rulebook_is_never_cached(cache: Path, rules: Path) -> None:
    (rules / "findings.yaml").write_text("undetermined: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RulesError):
            rulecache.cached_rulebook(rules)
    assert not cache.exists() or not list(cache.glob("rulebook-*.pickle"))


def test_the_cache_can_be_turned_off(cache: Path, rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIABILITY_NO_CACHE", "1")
    assert rulecache.cache_dir() is None
    rulecache.cached_rulebook(rules)
    assert not cache.exists()


def test_a_cache_folder_others_may_write_is_not_read(cache: Path, rules: Path) -> None:
    rulecache.cached_rulebook(rules)
    entry = next(cache.glob("rulebook-*.pickle"))
    entry.write_bytes(b"liability-rulebook-cache/1" + b"not a pickle")  # a corrupt entry: ignored, rewritten
    assert rulecache.cached_rulebook(rules).digest == load_rulebook(rules).digest
    cache.chmod(0o777)
    assert not rulecache._usable(cache)
    cache.chmod(0o700)
    assert rulecache._usable(cache)


def test_a_cache_entry_this_user_may_not_read_is_a_miss(cache: Path, rules: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Another user's HOME, or a cache folder inside one this user may not enter: the entry cannot even be looked
    at (EACCES). Every command loading rules failed with an internal error; it is a miss, and the YAML is read."""
    rulecache.cached_rulebook(rules)  # the entry exists
    real_open, real_is_file = Path.open, Path.is_file

    def refused(self: Path, *args: object, **kwargs: object) -> object:
        if self.name.startswith("rulebook-"):
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    def refused_is_file(self: Path) -> bool:
        if self.name.startswith("rulebook-"):
            raise PermissionError(13, "Permission denied", str(self))
        return real_is_file(self)

    monkeypatch.setattr(Path, "open", refused)
    monkeypatch.setattr(Path, "is_file", refused_is_file)
    assert rulecache.cached_rulebook(rules).digest == load_rulebook(rules).digest

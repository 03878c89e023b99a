"""Loading a rulebook folder: every file read safely and checked against its file model, every
rule compiled, every problem of every file gathered, then one `RulesError` listing them all.

Layout of a rulebook folder:
  findings.yaml            the findings, most severe first, with zh/en labels
  vocabulary.yaml          zh/en labels of the facts' fields and values (for people, not logic)
  <version>/manifest.yaml  identity, issuer, in-force dates, source and its confidence, errata
  <version>/precedence.yaml  the layers of precedence, strongest first (SPEC §4 order)
  <version>/*.yaml         one file per article (or clause): its text, items, and the rules formalising it
A bad file fails here, at load, with file, line, rule id and a fix: never mid-evaluation.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from pathlib import Path
from typing import Any, Callable

from ..errors import Problem, RulesError
from ..facts.documents import Document, read_document
from ..facts.fields import conduct_schema
from .conditions import ConditionError, parse_condition, tests_of
from .files import ArticleFile, ContradictionsFile, FindingsFile, Manifest, PrecedenceFile, RuleSpec, VocabularyFile
from .model import Article, Contradiction, Rule, Rulebook, TemporalRule, Version
from .precedence import check_defeats
from .problems import Collector, validate
from .rules import RuleContext, compile_rule, compile_temporal_rule
from ..i18n import msg

__all__ = ["load_rulebook", "VERSION_FILES"]

VERSION_FILES = ("manifest.yaml", "precedence.yaml", "allocation.yaml")  # allocation: see allocation/rules.py
_MAX_FILE_BYTES = 2 * 1024 * 1024

#: Reads one file of the rulebook against its file model: (the model, or None; the document, or None).
Loader = Callable[[Path, type], tuple[Any, "Document | None"]]


def load_rulebook(folder: str | Path) -> Rulebook:
    """Load and check a whole rulebook; raise RulesError listing every problem found."""
    root = Path(folder)
    out = Collector()
    if not root.is_dir():
        raise RulesError(Problem(msg("rules.folder_not_found"), path=str(root)))

    def load(path: Path, model: type) -> tuple[Any, Document | None]:
        try:
            doc = read_document(path, RulesError, limit=_MAX_FILE_BYTES)
        except RulesError as exc:
            out.problems.extend(exc.problems)
            return None, None
        return validate(model, doc, out), doc

    findings_file, _ = load(root / "findings.yaml", FindingsFile)
    vocabulary, _ = load(root / "vocabulary.yaml", VocabularyFile)
    context = RuleContext(schema=conduct_schema(), findings=[f.id for f in findings_file.findings] if findings_file
                          else [], out=out)
    version_dirs = sorted(p for p in root.iterdir() if p.is_dir() and (p / "manifest.yaml").exists())
    if not version_dirs:
        out.add(None, (), msg("rules.no_versions"), path=str(root))
    versions = [v for v in (_load_version(vdir, load, context) for vdir in version_dirs) if v is not None]
    contradictions = _contradictions(root, load, context, out)
    if out.problems:
        raise RulesError(out.problems)
    versions.sort(key=lambda v: v.in_force_from)
    _check_dates(versions, root, out)
    if out.problems:
        raise RulesError(out.problems)
    assert findings_file is not None and vocabulary is not None
    return Rulebook(folder=str(root), versions=versions, findings=list(findings_file.findings),
                    undetermined=findings_file.undetermined, vocabulary=vocabulary,
                    digest=content_digest(root), schema=context.schema, contradictions=contradictions)


def content_digest(root: Path) -> str:
    """SHA-256 over every YAML file of the rulebook folder but its `tests/` (relative path and bytes, in order).

    Every file counts, whichever stage reads it (the conducts' rules here, the allocation rules and the
    procedure's files later), so that an edit anywhere in the rules changes the hash a determination, a
    response header and the decision log carry, and replay sees it."""
    digest = hashlib.sha256()
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml")
                   and "tests" not in p.relative_to(root).parts)  # the rule authors' cases decide nothing
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _contradictions(root: Path, load: Any, context: RuleContext, out: Collector) -> list[Contradiction]:
    """rules/contradictions.yaml (optional): each condition checked against the facts fields."""
    found: list[Contradiction] = []
    if not (root / "contradictions.yaml").is_file():
        return found
    cfile, cdoc = load(root / "contradictions.yaml", ContradictionsFile)
    if cfile is None or cdoc is None:
        return found
    seen: set[str] = set()
    for i, spec in enumerate(cfile.contradictions):
        loc = ("contradictions", i)
        if spec.id in seen:
            out.add(cdoc, loc + ("id",), msg("check.duplicate_contradiction", id=spec.id))
        seen.add(spec.id)
        try:
            cond = parse_condition(spec.when, context.schema, loc + ("when",))
        except ConditionError as exc:
            out.add(cdoc, exc.where, exc.message, value=exc.value, allowed=exc.allowed, suggestion=exc.suggestion)
            continue
        fields = tuple(dict.fromkeys(t.field for t in tests_of(cond) if t.field != "act"))
        found.append(Contradiction(spec.id, cond, fields, spec.reason, cdoc.path, cdoc.position(loc)[0]))
    return found


def _check_dates(versions: list[Version], root: Path, out: Collector) -> None:
    for older, newer in zip(versions, versions[1:]):
        until = older.manifest.in_force_until
        if until is None or until >= newer.in_force_from:
            out.add(None, (), msg("rules.versions_overlap", older=older.id, newer=newer.id,
                                  starts=newer.in_force_from), path=str(root / older.folder / "manifest.yaml"),
                    suggestion=str(newer.in_force_from - _dt.timedelta(days=1)))


#: A rule as found in an article file: (its spec, the document, the article's key, its index in `rules:`).
Found = tuple[Any, Document, str, int]


def _load_version(vdir: Path, load: Loader, context: RuleContext) -> Version | None:
    out = context.out
    manifest, mdoc = load(vdir / "manifest.yaml", Manifest)
    precedence, pdoc = load(vdir / "precedence.yaml", PrecedenceFile)
    if manifest is None or precedence is None:
        return None
    if manifest.version != vdir.name:
        out.add(mdoc, ("version",), msg("rules.version_folder", version=manifest.version, folder=vdir.name),
                suggestion=vdir.name)
    before = len(out.problems)
    articles, specs, temporal_specs = _load_articles(vdir, load, out)
    context.incomplete = len(out.problems) > before  # a file failed: no cascade of references to its rules
    layer_ids = [l.id for l in precedence.layers]
    by_id: dict[str, RuleSpec] = {spec.id: spec for spec, *_ in specs}
    rules: list[Rule] = []
    for spec, doc, article, i in specs:
        rule = compile_rule(spec, doc, ("rules", i), article, manifest, articles, layer_ids, by_id, context)
        if rule is not None:
            rules.append(rule)
    temporal: list[TemporalRule] = []
    for tspec, doc, article, i in temporal_specs:
        trule = compile_temporal_rule(tspec, doc, ("temporal_rules", i), article, manifest.version, context)
        if trule is not None:
            temporal.append(trule)
    check_defeats(rules, specs, out)
    return Version(manifest.version, manifest, articles, rules, list(precedence.layers), temporal, vdir.name)


def _load_articles(vdir: Path, load: Loader, out: Collector) -> tuple[dict[str, Article], list[Found], list[Found]]:
    """The articles of a version folder, with the rules and temporal rules their files hold."""
    articles: dict[str, Article] = {}
    specs: list[Found] = []
    temporal_specs: list[Found] = []
    for path in sorted(p for p in vdir.glob("*.yaml") if p.name not in VERSION_FILES):
        art, doc = load(path, ArticleFile)
        if art is None or doc is None:
            continue
        key = art.ref or (str(art.article) if art.article is not None else None)
        if key is None or (art.article is None and art.label is None):
            out.add(doc, ("article",), msg("rules.article_needs_number"))
            continue
        if key in articles:
            out.add(doc, ("article",), msg("rules.article_twice", article=key, file=articles[key].file))
            continue
        articles[key] = Article(key, art.article, art.label, art.text, dict(art.paragraphs), dict(art.items),
                                tuple(art.errata), str(path), art.source_confidence)
        specs.extend((spec, doc, key, i) for i, spec in enumerate(art.rules))
        temporal_specs.extend((tspec, doc, key, i) for i, tspec in enumerate(art.temporal_rules))
    return articles, specs, temporal_specs


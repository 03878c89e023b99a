"""Citation labels: `Art. 7(2)` / `第七条第（二）项`, and the quoted text of what is cited."""

from __future__ import annotations

from typing import Any

from .model import Citation
from ..rulebook.model import Article, Rule, Version
from ..wording import Bilingual

__all__ = ["citation_for", "article_citation", "provision_label", "quote_item", "zh_number"]

_DIGITS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    """Chinese numerals as articles and items are numbered (1–99)."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    return str(n)  # no article runs that far; keep it legible


def citation_for(rule: Rule, version: Version) -> Citation | None:
    """The rule's citation (computed once per rule: a Citation is immutable and can be shared)."""
    if not rule.cited:
        return None
    cached = rule.__dict__.get("_citation")
    if cached is None:
        cached = _citation(rule, version)
        object.__setattr__(rule, "_citation", cached)
    return cached


def _citation(rule: Rule, version: Version) -> Citation:
    return _cite(version.articles[rule.article_key], version, rule.article, rule.paragraph, rule.item,
                 rule.source_confidence)


def article_citation(version: Version, key: str) -> Citation | None:
    """The citation of a whole article of `version` (None if it has no article `key`): for what no
    one rule decides, such as the Art. 28 choice."""
    article = version.articles.get(key)
    if article is None:
        return None
    return _cite(article, version, article.number, None, None, version.manifest.source_confidence)


def _cite(article: Article, version: Version, number: int | None, paragraph: int | None, item: int | None,
          confidence: str) -> Citation:
    label, quote = _labels(article, paragraph, item), _quote(article, paragraph, item)
    return Citation(article=number, paragraph=paragraph, item=item, version=version.id,
                    label=label.en, label_zh=label.zh, text=quote.zh, text_en=quote.en,
                    source_confidence=confidence)  # type: ignore[arg-type]


def _labels(article: Article, paragraph: int | None, item: int | None) -> Bilingual:
    if article.label is not None:
        if item is not None:
            return Bilingual.pair(f"{article.label.zh}第（{zh_number(item)}）项", f"{article.label.en}, item {item}")
        return article.label
    assert article.number is not None  # an article without a number has a label (checked at load)
    return provision_label(article.number, paragraph, item)


def provision_label(article: int, paragraph: int | None, item: int | None, *, para: str = " para. ") -> Bilingual:
    """`Art. 3 para. 2`, `Art. 7(2)` and `第三条第二款`, `第七条第（二）项`; `para` is what precedes a paragraph's
    number in English (the procedure's labels write `Art. 20 ¶2`)."""
    en, zh = f"Art. {article}", f"第{zh_number(article)}条"
    if paragraph is not None:
        en += f"{para}{paragraph}"
        zh += f"第{zh_number(paragraph)}款"
    if item is not None:
        en += f"({item})"
        zh += f"第（{zh_number(item)}）项"
    return Bilingual.pair(zh, en)


def _quote(article: Article, paragraph: int | None, item: int | None) -> Bilingual:
    lead = article.paragraphs[paragraph] if paragraph is not None else article.text
    if item is None:
        return lead
    return quote_item(lead, item, article.items[item])


def quote_item(lead: Any, item: int, text: Any) -> Bilingual:
    """A paragraph's lead-in and one of its items (each with `.zh` and `.en`): `……（二）…` / `… (2) …`."""
    return Bilingual.pair(f"{lead.zh}……（{zh_number(item)}）{text.zh}", f"{lead.en} … ({item}) {text.en}")

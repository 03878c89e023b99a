"""The finding of a conduct in one sentence, in English and Chinese: the finding, whether
responsibility attaches, the provision, the deciding rule's explanation and, when versions were
compared, the Art. 28 reason."""

from __future__ import annotations

from ..evaluate.memo import Memo
from ..i18n import Message, msg, pair, text
from ..rulebook.model import Rule, Rulebook
from ..wording import Bilingual
from .model import Citation, Temporal

__all__ = ["Sentences"]


class Sentences:
    """Writes the sentences; remembered on what they read."""

    def __init__(self, rulebook: Rulebook):
        self.rulebook = rulebook
        self._texts: Memo[Bilingual] = Memo(1_024)

    def explain(self, finding: str, liable: bool, citation: Citation | None, version_applied: str | None,
                rule: Rule | None, temporal: Temporal) -> Bilingual:
        """`rule`: the rule that decided, in `version_applied`."""
        with_reason = temporal.compares_versions
        key = (finding, liable, citation is None, version_applied, rule.id if rule else None,
               with_reason and temporal.reason)
        return self._texts.get(key, lambda: self._sentence(finding, liable, citation, rule, temporal))

    def _sentence(self, finding: str, liable: bool, citation: Citation | None, rule: Rule | None,
                  temporal: Temporal) -> Bilingual:
        rb = self.rulebook
        label = rb.finding_label(finding, "en")
        said = Message(label[:1].upper() + label[1:], rb.finding_label(finding, "zh"))
        if finding == rb.undetermined:
            said += msg("determination.sentence_undetermined")
        elif not rb.says_liability(finding):
            said += msg("determination.sentence_liable" if liable else "determination.sentence_not_liable")
        if citation is not None:
            said += msg("determination.sentence_under", label=pair(citation.label, citation.label_zh),
                        version=citation.version)
        if rule is not None and rule.explanation is not None:
            said += msg("determination.sentence_next", text=rule.explanation)
        elif citation is not None:
            said += msg("determination.stop")
        en, zh = str(said), said.zh
        if temporal.compares_versions:
            if not en.endswith("."):
                en += text("determination.stop", "en")
                zh += text("determination.stop", "zh")
            en += f" {temporal.reason}"
            zh += temporal.reason_zh
        return Bilingual.pair(zh, en.strip())

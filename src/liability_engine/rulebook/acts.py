"""A rule's `acts:`: a list of acts, `{of_rules: [...]}` (the acts of other rules), or
`{except_rules: [...], except: [...]}` (every act but those), resolved to a set of acts."""

from __future__ import annotations

from typing import Any, Literal

from ..errors import did_you_mean
from ..facts.documents import Document
from ..facts.model import Act
from .files import RuleSpec
from .problems import Collector
from ..i18n import msg

__all__ = ["rule_acts"]

_KEYS = ["of_rules", "except_rules", "except"]


def rule_acts(spec: RuleSpec, doc: Document, loc: tuple[Any, ...], by_id: dict[str, RuleSpec],
              out: Collector, incomplete: bool = False) -> set[str] | None | Literal[False]:
    """The acts `spec` covers: None for every act (no `acts:`), False when `acts:` is wrong (the
    problems are in `out`)."""
    return _Acts(spec.id, doc, by_id, out, incomplete).of(spec.acts, loc + ("acts",), frozenset({spec.id}), top=True)


class _Acts:
    def __init__(self, rule_id: str, doc: Document, by_id: dict[str, RuleSpec], out: Collector,
                 incomplete: bool = False):
        self.rule_id, self.doc, self.by_id, self.out = rule_id, doc, by_id, out
        self.incomplete = incomplete  # a file of the version failed to load: its rules may be the ones referred to
        self.every = [a.value for a in Act]

    def of(self, raw: Any, where: tuple[Any, ...], seen: frozenset[str], top: bool) -> Any:
        """The acts of one `acts:` value. `top`: the rule's own (checked, failing with False); else a
        rule it refers to (its own problems are reported where it is written; failing with None)."""
        fail = False if top else None
        if raw is None:
            return None
        if isinstance(raw, list):
            return set(raw) if not top or self._known(raw, where) else fail
        if top and not self._shape(raw, where):
            return fail
        if "of_rules" in raw:
            got = self._referred(raw["of_rules"], where + ("of_rules",) if top else where, seen)
            return fail if got is None else got
        excluded: set[str] = set()
        if "except_rules" in raw:
            got = self._referred(raw["except_rules"], where + ("except_rules",) if top else where, seen)
            if got is None:
                return fail
            excluded |= got
        if top and "except" in raw and not self._known(raw["except"], where + ("except",)):
            return fail
        excluded |= set(raw.get("except", []))
        return set(self.every) - excluded

    def _known(self, names: list[str], where: tuple[Any, ...]) -> bool:
        good = True
        for i, name in enumerate(names):
            if name not in self.every:
                self.out.add(self.doc, where + (i,), msg("rules.not_an_act", act=name),
                             rule_id=self.rule_id, value=name, allowed=self.every,
                             suggestion=did_you_mean(name, self.every))
                good = False
        return good

    def _shape(self, raw: dict[str, Any], where: tuple[Any, ...]) -> bool:
        keys = set(raw)
        unknown = keys - set(_KEYS)
        if unknown or not keys or ("of_rules" in keys and keys & {"except_rules", "except"}):
            bad = sorted(unknown)[0] if unknown else None
            self.out.add(self.doc, where + ((bad,) if bad else ()),
                         msg("rules.acts_shape"),
                         rule_id=self.rule_id, allowed=_KEYS, suggestion=did_you_mean(bad, _KEYS) if bad else None)
            return False
        return True

    def _referred(self, ids: list[str], where: tuple[Any, ...], seen: frozenset[str]) -> set[str] | None:
        """The acts of the rules `ids` together; None (reported) when one is unknown, unlimited or in a cycle."""
        found: set[str] = set()
        for i, rid in enumerate(ids):
            other = self.by_id.get(rid)
            if other is None and self.incomplete:
                return None  # that file's own problem is reported; a cascade here would only hide it
            if other is None:
                self.out.add(self.doc, where + (i,), msg("rules.no_such_rule", rule=rid), rule_id=self.rule_id,
                             value=rid, allowed=None, suggestion=did_you_mean(rid, list(self.by_id)))
                return None
            if rid in seen:
                self.out.add(self.doc, where + (i,), msg("rules.acts_cycle", cycle=" → ".join([*seen, rid])),
                             rule_id=self.rule_id)
                return None
            sub = self.of(other.acts, where + (i,), seen | {rid}, top=False)
            if sub is None and self.incomplete:
                return None
            if sub is None:
                self.out.add(self.doc, where + (i,), msg("rules.acts_unlimited", rule=rid), rule_id=self.rule_id)
                return None
            found |= sub
        return found

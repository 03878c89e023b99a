"""Legal properties of a whole rulebook, proved by exploring every distinguishable fact.

`liability rules check` runs these on top of the structural checks (checks.py):
- **the more culpable fault is never lighter** (举轻以明重, SPEC §4): for every version alone and
  through Art. 28, replacing the fault by a more culpable one (none < ordinary < gross <
  intentional) never takes liability away, and when both are liable never lowers the severity of
  the finding — unless the rule deciding at the more culpable fault declares a labelled
  `fault_order_exception:` (e.g. Art. 7(4)/7(10), which need 明知);
- **Art. 28 is determinate over completions**: whenever both versions compared reach a finding,
  the temporal rules choose (so deciding unknown facts over their values can always conclude);
- **the declared contradictions** (rules/contradictions.yaml) can each be met, and none hides a rule.

"Distinguishable" facts: each field's values are grouped into classes no condition of the
versions concerned can tell apart (as checks.py does), and one value of each class is tried.
"""

from __future__ import annotations

from .art28 import art28_problems
from .contradictions import contradiction_problems
from .explore import Outcome, distinguishable_facts, outcome, through_art28
from .monotonicity import FAULT_ORDER, monotonicity_problems

__all__ = ["art28_problems", "contradiction_problems", "Outcome", "distinguishable_facts", "outcome", "through_art28", "FAULT_ORDER",
           "monotonicity_problems"]

"""Several people in one case: who bears which responsibility (谁办案谁负责、谁决定谁负责, Arts. 4 and 19).

- `casefile`: the `liability-facts/2` contract (persons, their conducts, the decisions they took part in);
- `rules`: `rules/<version>/allocation.yaml`, loaded and checked (the law of allocation lives there);
- `evaluate`: each person's own conducts (through `Engine.evaluate`) and, for each decision, what each
  person answers for, under the version Art. 28 applies;
- `determination`: the `liability-case-determination/1` contract.
"""

from __future__ import annotations

from .casefile import (SCHEMA as CASE_SCHEMA, CaseFile, CasePerson, Decision, case_from_facts, load_any,
                       load_case_file, parse_any, parse_case_file)

__all__ = ["CASE_SCHEMA", "CaseFile", "CasePerson", "Decision", "case_from_facts", "load_any", "load_case_file",
           "parse_any", "parse_case_file"]

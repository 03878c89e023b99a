"""Several people in one case: who bears which responsibility (谁办案谁负责、谁决定谁负责, Arts. 4 and 19).

- `casefile`: the `liability-facts/2` contract (persons, their conducts, the decisions they took part in),
  read by `reading` (either contract, by its schema tag), checked by `validation` and `references`;
- `rules`: `rules/<version>/allocation.yaml`, loaded and checked (the law of allocation lives there);
- `evaluate`: each person's own conducts (through `Engine.evaluate`) and, for each decision, what each
  person answers for, under the version Art. 28 applies;
- `determination`: the `liability-case-determination/1` contract.
"""

from .._exports import exports

# Imported when first used (`_exports`): reading a liability-facts/1 file through `reading.load_any` does not
# load the case-file models.
__all__, __getattr__ = exports(__name__, {
    ".reading": ["CASE_SCHEMA", "load_any", "load_case_file", "parse_any", "parse_case_file"],
    ".casefile": ["CaseFile", "CasePerson", "Decision"],
    ".persons": ["case_from_facts"],
})

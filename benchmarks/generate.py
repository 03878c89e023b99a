"""Synthetic facts for benchmarks: realistic conducts as JSON Lines (one facts document per line).

    python benchmarks/generate.py --count 10000 --seed 1 > conducts.jsonl
    python benchmarks/generate.py --count 5000 --seed 2 --single --from 2024-07-05 --to 2025-12-31

`--count` is the number of *conducts*; each line is one `liability-facts/1` document about one
person with one conduct (most often) or two or three (`--single`: always one). The same seed
gives the same bytes. The mix follows what case files look like rather than a uniform draw: most
conducts are negligent (ordinary or gross), intent is rarer, a tenth have an unknown fault; the
effects fit the act (an accident for a case-handling accident, an execution incident for an
execution-supervision failure); some have an outcome change; dates spread over 2016-2025, so
the Art. 28 comparison with the 2015 opinions and the 2020 regulation is exercised too.
`--bad-rate R` makes that share of lines invalid (for error-path benchmarks and tests).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from typing import Any, Iterator

# act -> weight (how often it appears), the case kinds it occurs in
ACTS: dict[str, tuple[int, tuple[str, ...]]] = {
    "misapply_law": (60, ("criminal", "civil", "administrative")),
    "fact_finding_error": (70, ("criminal", "civil", "administrative")),
    "procedural_irregularity": (90, ("criminal", "civil", "administrative", "public_interest")),
    "document_defect": (80, ("criminal", "civil", "administrative", "public_interest")),
    "admit_key_evidence_improperly": (35, ("criminal",)),
    "reject_key_evidence_improperly": (20, ("criminal",)),
    "wrong_decision": (45, ("criminal",)),
    "omitted_suspect": (15, ("criminal",)),
    "omitted_crime": (15, ("criminal",)),
    "illegal_evidence_relied_on": (12, ("criminal",)),
    "litigation_supervision_failure": (30, ("criminal", "civil", "administrative")),
    "civil_administrative_supervision_failure": (20, ("civil", "administrative")),
    "public_interest_duty_failure": (15, ("public_interest",)),
    "execution_supervision_failure": (18, ("criminal",)),
    "case_handling_accident": (14, ("criminal",)),
    "leak_case_information": (16, ("criminal", "civil", "administrative", "public_interest")),
    "litigation_rights_infringed": (12, ("criminal", "civil")),
    "illegal_restraint_of_liberty": (6, ("criminal",)),
    "illegal_search": (4, ("criminal",)),
    "damage_party_property": (3, ("criminal",)),
    "improper_property_measures": (8, ("criminal",)),
    "compensation_refused": (3, ("criminal",)),
    "compensation_delayed": (4, ("criminal",)),
    "illegal_case_filing": (5, ("criminal",)),
    "illegal_case_dismissal": (4, ("criminal",)),
    "conceal_facts": (8, ("criminal", "civil")),
    "distort_facts": (7, ("criminal", "civil")),
    "destroy_evidence": (3, ("criminal",)),
    "forge_evidence": (4, ("criminal",)),
    "alter_evidence": (3, ("criminal",)),
    "hide_evidence": (3, ("criminal",)),
    "tamper_evidence": (2, ("criminal",)),
    "torture": (2, ("criminal",)),
    "violent_evidence_collection": (2, ("criminal",)),
    "illegal_evidence_collection": (4, ("criminal",)),
    "supervision_management_failure": (10, ("criminal", "civil", "administrative", "public_interest")),
    "other_duty_violation": (20, ("criminal", "civil", "administrative", "public_interest")),
    "wrongful_detention": (4, ("criminal",)),
    "shield_offender": (2, ("criminal",)),
    "prosecute_innocent": (2, ("criminal",)),
    "exceed_jurisdiction": (1, ("criminal",)),
    "illegal_use_of_weapons": (1, ("criminal",)),
}
INTENT_PRONE = {"conceal_facts", "distort_facts", "destroy_evidence", "forge_evidence", "alter_evidence",
                "hide_evidence", "tamper_evidence", "torture", "violent_evidence_collection",
                "illegal_evidence_collection", "shield_offender", "compensation_refused", "leak_case_information"}
FLAW_ACTS = {"fact_finding_error", "admit_key_evidence_improperly", "reject_key_evidence_improperly",
             "misapply_law", "procedural_irregularity", "document_defect"}
FAULTS = (("intentional", 12), ("gross", 30), ("ordinary", 33), ("none", 15), ("unknown", 10))
ROLES = (("procurator", 60), ("assistant", 20), ("administrative", 5), ("chief", 3), ("deputy_chief", 4),
         ("department_head", 8))
STATUSES = (("serving", 85), ("retired", 5), ("transferred", 7), ("dismissed", 2), ("deceased", 1))
ACCIDENTS = ("suicide", "self_harm", "violence", "escape", "collusion", "file_loss", "evidence_loss", "property_loss")
INCIDENTS = ("illegal_commutation", "illegal_parole", "illegal_release_outside_prison", "custody_escape",
             "custody_death")
OUTCOMES = ("recharacterized", "disposition_changed", "prosecution_withdrawn", "acquittal")
CAUSES = (("law_changed", 8), ("law_unclear", 6), ("party_fault", 10), ("new_evidence", 20), ("objective_limits", 8),
          ("basis_revoked", 5), ("other_lawful", 4), ("procurator_error", 25), ("unknown", 14))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰"
OFFENCES = ("故意伤害", "盗窃", "诈骗", "危险驾驶", "贩卖毒品", "非法吸收公众存款", "合同纠纷", "行政处罚", "生态环境保护",
            "交通肇事", "职务侵占", "寻衅滋事")
STAGES = ("审查逮捕", "审查起诉", "出庭支持公诉", "诉讼监督", "羁押必要性审查", "刑罚执行监督", "民事检察监督")
PROBLEMS = ("未依法审查关键证据", "起诉书认定事实有误", "未及时提出纠正意见", "文书制作不规范", "法律适用错误",
            "遗漏同案犯罪嫌疑人", "泄露案件信息", "违规处理涉案财物", "超期羁押未予纠正", "程序不符合规定")


def _pick(rng: random.Random, weighted: Any) -> str:
    items = list(weighted)
    return rng.choices([v for v, _ in items], weights=[w for _, w in items])[0]


_ACT_NAMES = list(ACTS)
_ACT_WEIGHTS = [w for w, _ in ACTS.values()]


def conduct(rng: random.Random, cid: str, start: dt.date, end: dt.date) -> dict[str, Any]:
    act = rng.choices(_ACT_NAMES, weights=_ACT_WEIGHTS)[0]
    fault = _pick(rng, FAULTS)
    if act in INTENT_PRONE and rng.random() < 0.5:
        fault = "intentional"
    day = start + dt.timedelta(days=rng.randrange((end - start).days + 1))
    out: dict[str, Any] = {"id": cid, "date": day.isoformat(),
                           "summary": f"{rng.choice(STAGES)}中{rng.choice(PROBLEMS)}。", "act": act, "fault": fault}
    if act in ("illegal_evidence_relied_on", "litigation_supervision_failure") or rng.random() < 0.1:
        out["knowing"] = fault == "intentional" and rng.random() < 0.7
    effects: dict[str, Any] = {}
    serious = rng.random() < 0.35
    if serious:
        effects["serious_consequence"] = True
    if rng.random() < 0.3:
        effects["wrongful_handling"] = True
    if rng.random() < 0.15:
        effects["bad_influence"] = True
    if rng.random() < 0.08:
        effects["major_loss"] = True
    if act in FLAW_ACTS and rng.random() < 0.4:
        effects["conclusion_affected"] = False
    if act == "case_handling_accident" and rng.random() < 0.9:
        effects["accident"] = rng.choice(ACCIDENTS)
    if act == "execution_supervision_failure" and rng.random() < 0.9:
        effects["execution_incident"] = rng.choice(INCIDENTS)
    if effects:
        out["effects"] = effects
    if rng.random() < 0.15:
        out["outcome_change"] = {"kind": rng.choice(OUTCOMES), "cause": _pick(rng, CAUSES)}
    return out


def documents(count: int, seed: int, *, single: bool = False, start: dt.date = dt.date(2016, 1, 1),
              end: dt.date = dt.date(2025, 12, 31), bad_rate: float = 0.0) -> Iterator[dict[str, Any] | str]:
    """Facts documents holding `count` conducts in all (a str is a deliberately bad line)."""
    rng = random.Random(seed)
    made = 0
    number = 0
    while made < count:
        number += 1
        n = 1 if single else min(count - made, rng.choices((1, 2, 3), weights=(75, 18, 7))[0])
        kind = rng.choice(("criminal", "criminal", "criminal", "civil", "administrative", "public_interest"))
        doc: dict[str, Any] = {
            "schema": "liability-facts/1",
            "case": {"id": f"{rng.randrange(2016, 2026)}-{'ABCDEFGH'[rng.randrange(8)]}-{number:07d}", "kind": kind,
                     "summary": f"某{rng.choice(OFFENCES)}案"},
            "person": {"id": f"P-{rng.randrange(1, 200000):06d}",
                       "name": rng.choice(SURNAMES) + "某" + (rng.choice(GIVEN) if rng.random() < 0.3 else ""),
                       "role": _pick(rng, ROLES), "status": _pick(rng, STATUSES)},
            "conducts": [conduct(rng, f"C{i + 1}", start, end) for i in range(n)],
        }
        made += n
        if bad_rate and rng.random() < bad_rate:
            yield _spoil(rng, doc)
        else:
            yield doc


def _spoil(rng: random.Random, doc: dict[str, Any]) -> dict[str, Any] | str:
    how = rng.randrange(4)
    if how == 0:
        return json.dumps(doc, ensure_ascii=False)[:-7]  # truncated JSON
    if how == 1:
        doc["conducts"][0]["act"] = "forge_evidense"  # misspelt value
    elif how == 2:
        doc["conducts"][0]["fualt"] = doc["conducts"][0].pop("fault")  # misspelt field
    else:
        del doc["person"]["id"]
    return doc


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True, help="conducts in all")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--single", action="store_true", help="one conduct per document")
    parser.add_argument("--from", dest="start", type=dt.date.fromisoformat, default=dt.date(2016, 1, 1))
    parser.add_argument("--to", dest="end", type=dt.date.fromisoformat, default=dt.date(2025, 12, 31))
    parser.add_argument("--bad-rate", type=float, default=0.0, help="share of invalid lines (0..1)")
    parser.add_argument("--out", default="-", help="output file (default: stdout)")
    args = parser.parse_args(argv)
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    try:
        for doc in documents(args.count, args.seed, single=args.single, start=args.start, end=args.end,
                             bad_rate=args.bad_rate):
            out.write((doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
                      + "\n")
    finally:
        if out is not sys.stdout:
            out.close()


if __name__ == "__main__":
    main()

"""The words of the facts' `procedure:` block live in the rule files: what each part and fact of it means
(`labels.descriptions` of rules/2024/procedure/procedure.yaml, zh and en, with the article) is what an editor
shows from the shipped JSON Schema and what another system reads in the service's OpenAPI document."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from conftest import ROOT, edited_rules
from liability_engine.errors import Problem, RulesError
from liability_engine.facts.model import Facts
from liability_engine.facts.procedure import BLOCKS, DESCRIBED
from liability_engine.i18n.descriptions import contract_descriptions
from liability_engine.procedure.rules import load_procedure_rules

SETUP = ROOT / "rules" / "2024" / "procedure" / "procedure.yaml"


def _yaml_descriptions() -> dict[str, dict[str, str]]:
    """The rule file's descriptions, read here with yaml (not by the code under test)."""
    return yaml.safe_load(SETUP.read_text(encoding="utf-8"))["labels"]["descriptions"]


def _described(schema: dict[str, Any], path: str) -> str | None:
    """The description the JSON Schema `schema` (its `$defs` or OpenAPI `components.schemas`) gives `path`."""
    defs = schema.get("$defs") or schema["components"]["schemas"]
    by_path = {at: cls.__name__ for cls, at in BLOCKS.items()}
    if path in by_path:
        return defs[by_path[path]].get("description")
    block, _, name = path.rpartition(".")
    return defs[by_path[block]]["properties"][name].get("description")


def test_every_part_and_fact_of_the_block_has_its_words_in_the_rule_file() -> None:
    words = _yaml_descriptions()
    assert sorted(words) == sorted(DESCRIBED)  # none missing (it would vanish from the schema), none stray
    assert "procedure.dates.report" in DESCRIBED and "procedure.leniency" in DESCRIBED
    for path, pair in words.items():
        assert set(pair) == {"zh", "en"} and pair["zh"].strip() and pair["en"].strip(), path


def test_the_shipped_schema_describes_each_fact_in_the_rule_files_zh_and_en_words() -> None:
    shipped = json.loads((ROOT / "schemas" / "facts.schema.json").read_text(encoding="utf-8"))
    for path, pair in _yaml_descriptions().items():
        assert _described(shipped, path) == f"{pair['zh']} · {pair['en']}", path
    report = _described(shipped, "procedure.dates.report")
    assert report is not None and "第十九条" in report and "Art. 19" in report


def test_the_openapi_document_describes_the_block_in_the_same_words() -> None:
    pytest.importorskip("fastapi", reason="the OpenAPI document needs the server extra (fastapi)")
    from liability_engine.service.app import create_app

    doc = create_app().openapi()
    for path, pair in _yaml_descriptions().items():
        assert _described(doc, path) == f"{pair['zh']} · {pair['en']}", path


def test_editing_the_rule_file_changes_the_generated_description(tmp_path, monkeypatch) -> None:
    """The schema's words are read from the rules, not written in the code: change them in a copy of the
    rules and the facts contract's JSON Schema (and so `schemas/`, the OpenAPI document) says the new words."""
    old = "{zh: 形成调查报告之日（第十九条）：调查结束,"
    rules = edited_rules(tmp_path, {"2024/procedure/procedure.yaml": (old, "{zh: 调查报告形成之日（改）,")})
    import liability_engine.i18n.vocabulary as vocabulary_module

    monkeypatch.setattr(vocabulary_module, "rules_words_folder", lambda: rules)
    said = _described(Facts.model_json_schema(by_alias=True, mode="validation"), "procedure.dates.report")
    assert said is not None and said.startswith("调查报告形成之日（改） · ")
    monkeypatch.undo()
    assert _described(Facts.model_json_schema(by_alias=True, mode="validation"), "procedure.dates.report") \
        .startswith("形成调查报告之日（第十九条）")


def test_a_description_of_no_field_is_refused_with_the_nearest_field(tmp_path) -> None:
    rules = edited_rules(tmp_path, {"2024/procedure/procedure.yaml": (
        "    procedure.dates.report: {zh: 形成", "    procedure.dates.reprot: {zh: 形成")})
    with pytest.raises(RulesError) as caught:
        load_procedure_rules(rules, "2024")
    problem = next(p for p in caught.value.problems if p.suggestion == "procedure.dates.report")
    assert "procedure.dates.reprot" in problem.text("en") and "procedure.dates.reprot" in problem.text("zh")
    assert problem.line is not None and str(problem.path).endswith(SETUP.name)


def test_rules_without_a_procedure_setup_say_so(tmp_path) -> None:
    (tmp_path / "2024").mkdir()
    with pytest.raises(RulesError) as caught:
        contract_descriptions(tmp_path)
    assert "procedure.yaml" in str(caught.value.problems[0]) and "procedure.yaml" in caught.value.problems[0].text("zh")


def test_the_route_contracts_examples_are_labels_the_route_gives() -> None:
    """liability-procedure/1's schema shows `label`/`label_zh` examples: they are written by the citation
    grammar, and they are labels of provisions the bundled procedure rules cite."""
    from liability_engine.evaluate.engine import bundled_rules_path

    shipped = json.loads((ROOT / "schemas" / "procedure.schema.json").read_text(encoding="utf-8"))
    ref = shipped["$defs"]["ProvisionRef"]["properties"]
    findings = tuple(f["id"] for f in yaml.safe_load((ROOT / "rules" / "findings.yaml").read_text(
        encoding="utf-8"))["findings"])
    loaded = load_procedure_rules(bundled_rules_path(), "2024", findings)
    given = {(r.provision.label, r.provision.label_zh) for r in loaded.rules}
    for en, zh in [("Art. 20 ¶2", "第二十条第二款"), ("Art. 21(2)", "第二十一条第（二）项")]:
        assert (en, zh) in given
        assert f"'{en}'" in ref["label"]["description"] and f"'{zh}'" in ref["label_zh"]["description"]


def test_the_allowed_chinese_words_are_separated_in_chinese_and_the_codes_in_english() -> None:
    problem = Problem("bad", field="fault", value="重大过", allowed=["intentional", "gross"],
                      allowed_zh=["故意", "重大过失"])
    assert "故意，重大过失" in problem.text("zh")
    assert "intentional, gross" in problem.text("en")
    only_codes = Problem("bad", field="procedure.status", value="x", allowed=["serving", "retired"])
    assert "serving, retired" in only_codes.text("zh")


def test_docs_facts_gives_each_fact_of_the_block_in_the_rule_files_words() -> None:
    doc = (ROOT / "docs" / "facts.md").read_text(encoding="utf-8")
    for path, pair in _yaml_descriptions().items():
        if path in BLOCKS.values():
            continue
        assert f"| `{path}` | {pair['zh']} | {pair['en']} |" in doc, path

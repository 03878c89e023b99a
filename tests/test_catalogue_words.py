"""The words of an allocation (its parts, heads, results, trace outcomes) come from the catalogue by key and
language: every code the allocation rules can give has a word in both languages, a training question offers
the results in the rules' order, and a code the catalogue has no word for (from a log, a newer rule file)
reads as written rather than failing."""

from __future__ import annotations

import typing

import pytest

from liability_engine.allocation.determination import AllocationTrace
from liability_engine.allocation.rules import ANSWERS, PARTS, RESULTS
from liability_engine.allocation.training import parse_result
from liability_engine.i18n import catalogue, keys_of, word

OUTCOMES = typing.get_args(AllocationTrace.model_fields["outcome"].annotation)


@pytest.mark.parametrize("table, codes", [("allocation.result", RESULTS), ("allocation.part", PARTS),
                                          ("allocation.head", ANSWERS), ("allocation.outcome", OUTCOMES)])
def test_every_code_of_the_allocation_rules_has_its_word_in_both_languages(table, codes) -> None:
    assert keys_of(table) == tuple(codes)  # the choices of a training question: every result, in the rules' order
    for code in codes:
        zh, en = word(f"{table}.{code}", "zh", "?"), word(f"{table}.{code}", "en", "?")
        assert zh == catalogue()[f"{table}.{code}"]["zh"] and en == catalogue()[f"{table}.{code}"]["en"]
        assert zh != en and "?" not in (zh, en)


def test_a_code_without_a_word_reads_as_written() -> None:
    assert word("allocation.result.bears", "zh", "bears") == "承担责任"
    assert word("allocation.result.bears", "en", "bears") == "bears the responsibility"
    assert word("allocation.result.bears_entirely", "zh", "bears_entirely") == "bears_entirely"
    assert word("allocation.result.", "en", "") == ""


def test_keys_of_lists_only_the_words_directly_under_a_table() -> None:
    assert "version" in keys_of("allocation.words")
    assert not any("." in key for key in keys_of("allocation"))
    assert keys_of("allocation.no_such_table") == ()


@pytest.mark.parametrize("typed, code", [("bears_mainly", "bears_mainly"), ("主要承担责任", "bears_mainly"),
                                         ("  Does Not Bear It ", "does_not_bear"), ("现有规则来源未作规定", "not_determined"),
                                         ("bears entirely", None)])
def test_a_result_is_read_by_its_code_or_its_words_in_either_language(typed, code) -> None:
    assert parse_result(typed) == code

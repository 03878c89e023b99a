"""What the YAML and JSON parsers say, in the catalogue's words (both languages): libyaml's and Python's json
module's sentences are English only, and reached the messages as they were."""

from __future__ import annotations

from typing import Any

from ..i18n import msg

__all__ = ["parser_words"]

# what the YAML and JSON parsers say most often, in the catalogue's words; anything else is quoted
_PARSER_WORDS = (
    ("found character '\\t' that cannot start any token", "input.yaml_tab"),
    ("found character that cannot start any token", "input.yaml_bad_character"),
    ("mapping values are not allowed here", "input.yaml_mapping_value"),
    ("could not find expected ':'", "input.yaml_expected_colon"),
    ("did not find expected key", "input.yaml_expected_key"),
    ("did not find expected ',' or '}'", "input.yaml_unclosed_flow"),
    ("did not find expected ',' or ']'", "input.yaml_unclosed_flow"),
    ("found unexpected end of stream", "input.yaml_unexpected_end"),
    ("Expecting value", "input.json_expecting_value"),
    ("Expecting property name enclosed in double quotes", "input.json_property_name"),
    ("Expecting ',' delimiter", "input.json_comma"),
    ("Expecting ':' delimiter", "input.json_colon"),
    ("Extra data", "input.json_extra_data"),
    ("Unterminated string starting at", "input.json_unterminated"),
    ("Invalid control character at", "input.json_control_character"),
    # libyaml's own words, which reached the messages as they are ("YAML 格式错误：but found another document")
    ("but found another document", "input_hunt.yaml_another_document"),
    ("found unknown escape character", "input_hunt.yaml_escape"),
    ("did not find expected hexdecimal number", "input_hunt.yaml_escape"),
    ("did not find expected '-' indicator", "input_hunt.yaml_list_item"),
    ("did not find expected alphabetic or numeric character", "input_hunt.yaml_anchor_name"),
    ("found duplicate %YAML directive", "input_hunt.yaml_directive"),
    ("found unknown directive name", "input_hunt.yaml_directive"),
    ("found incompatible YAML document", "input_hunt.yaml_directive"),
    ("did not find expected <document start>", "input_hunt.yaml_directive"),
)


def parser_words(detail: Any, fallback: str) -> Any:
    text = str(detail)
    for start, key in _PARSER_WORDS:
        if text.startswith(start):
            return msg(key)
    return msg(fallback, detail=text)

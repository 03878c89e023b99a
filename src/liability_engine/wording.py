"""Bilingual wording: one type for a text in Chinese and English (always zh, then en). Chinese comes
first: it is the language of the regulation and of its users.

Rule files write every text as `{zh: ..., en: ...}` (validated as `Bilingual`); the code passes the
same type around (warnings, sentences, citation labels, words of the reports), and only the JSON
contracts spell a pair as two fields (`explanation` / `explanation_zh`, `text` / `text_en`), which
their models turn back into a `Bilingual` where the code needs one.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Bilingual"]


# A text in Chinese and English. (No docstring: it would enter the rule files' JSON Schemas.)
class Bilingual(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    @classmethod
    def pair(cls, zh: str, en: str) -> "Bilingual":
        """A pair made by the code (not read from a file): not validated again."""
        return cls.model_construct(zh=zh, en=en)

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

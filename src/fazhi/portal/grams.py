"""Search text: one folding for what is indexed and what is asked, and the character pairs the index is made of.

Chinese has no spaces, so a name matches a query when the query is a substring of it. The index stores every pair
of adjacent characters (bigram) of every searchable field; a query of n ≥ 2 characters can only match a text that
contains all n-1 of its pairs, and the rarest pair is the shortest list to walk (see ``portal.query``). Trigram
indexes (pg_trgm, SQLite FTS5) cannot answer two-character queries; pairs can.

Folding makes the variants people type match each other: full-width and half-width (NFKC), upper and lower case,
spaces and invisible characters, and every bracket that appears around the year of a document number (〔2020〕,
[2020], 【2020】, (2020), （2020）...) — all brackets become 〔 and 〕, in the index and in the query alike.
"""

from __future__ import annotations

import re

from fazhi.core.identifiers import fold

_OPEN = "[【(〈<《{〖⟨⦗［（｛﹝〘"
_CLOSE = "]】)〉>》}〗⟩⦘］）｝﹞〙"
_BRACKETS = str.maketrans({**dict.fromkeys(_OPEN, "〔"), **dict.fromkeys(_CLOSE, "〕")})
_LIKE_SPECIAL = re.compile(r"([\\%_])")

SHIFT = 21  # a Unicode code point fits in 21 bits: a pair is one 42-bit integer
MAX_QUERY_CHARS = 60


def fold_text(text: str) -> str:
    """The searchable form of ``text``: NFKC, no spaces or invisible characters, lower case, one bracket pair."""
    return fold(text).lower().translate(_BRACKETS)


def pairs(folded: str) -> set[int]:
    """The distinct character pairs of an already folded text, as integers (``ord(a) << 21 | ord(b)``)."""
    return {(ord(folded[i]) << SHIFT) | ord(folded[i + 1]) for i in range(len(folded) - 1)}


def text_pairs(texts: tuple[str, ...] | list[str]) -> set[int]:
    """The pairs of several fields, each folded on its own (no pair spans two fields)."""
    found: set[int] = set()
    for text in texts:
        found |= pairs(fold_text(text))
    return found


def pair_text(gram: int) -> str:
    """The two characters of a pair (for explanations and debugging)."""
    return chr(gram >> SHIFT) + chr(gram & ((1 << SHIFT) - 1))


def like_pattern(folded: str) -> str:
    """``%folded%`` for ``LIKE ... ESCAPE '\\'``, with LIKE's own wildcards escaped."""
    return "%" + _LIKE_SPECIAL.sub(r"\\\1", folded) + "%"


MATCH_SEPARATOR = "\x1f"  # between fields in ``match_text``: no query can contain it, so no match spans two fields


def match_text(texts: tuple[str, ...] | list[str]) -> str:
    return MATCH_SEPARATOR.join(fold_text(t) for t in texts if t)

"""Matching the headers of a file to the fields of a catalogue.

Real files spell the same column many ways: ``行政相对人名称``, ``行政相对人名称（必填）``, ``CF_XDR_MC``,
``cf_xdr_mc``, ``统一社 会信用 代码`` (OCR put spaces in), ``【处罚机关】``, a line break inside the header cell...
``normalise_header`` folds all of those to one canonical key; ``match_headers`` compares keys exactly and only
then, for Chinese headers damaged by OCR, tries a small and deliberately timid fuzzy pass whose every match is
reported as a warning so a person can check it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["HeaderMatch", "catalogue_conflicts", "match_headers", "normalise_header"]

# NFKC already turns （）［］ into ()[]; these are the brackets it leaves alone.
_BRACKETS = str.maketrans({"[": "(", "]": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "〖": "(", "〗": ")"})
_ASCII_LOWER = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})
_MARKER = re.compile(r"\((?:必填|必填项|必选|选填|选填项|可选|非必填)\)$")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_BRACKETED = re.compile(r"\(([^()]*)\)")

# A one-character difference in these turns one field into another (元/万元, 有效期自/至, 是否...): never guess.
_PROTECTED = frozenset("万千百亿元角分自至止起前后始终否非不无未已")
_FUZZY_MIN_LENGTH = 4
_FUZZY_CHARS_PER_EDIT = 4


def normalise_header(text: str) -> str:
    """The canonical key of a header or catalogue name, used only for comparing (never shown to anyone).

    NFKC (full-width letters, digits and brackets become ASCII), every kind of whitespace removed (spaces,
    ideographic space, tabs, line breaks) together with control and format characters (zero-width space, BOM,
    soft hyphen), brackets ``（）【】[]〔〕〖〗`` unified to ``()``, ASCII lower-cased, and a required/optional marker
    such as ``(必填)``, ``（选填）`` or ``*`` at either end dropped.
    """
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")))
    text = text.translate(_BRACKETS).translate(_ASCII_LOWER)
    while True:
        stripped = _MARKER.sub("", text.strip("*"))
        if stripped == text:
            return text
        text = stripped


@dataclass
class HeaderMatch:
    """How the headers of one file map to catalogue fields.

    ``mapping``: header as found -> field key (exact and accepted fuzzy matches; the first header wins when
    several name one field). ``unknown``: headers that map to nothing, in file order (kept for the error report).
    ``duplicates``: field key -> every header that named it, the used one first. ``fuzzy``: header -> field key
    for the matches made by the OCR-tolerant pass (also in ``mapping``). ``warnings``: Chinese messages about
    duplicates, fuzzy and ambiguous headers. ``labels``: field key -> the name to show people.
    """

    mapping: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    duplicates: dict[str, list[str]] = field(default_factory=dict)
    fuzzy: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    def missing(self, required: Iterable[str]) -> list[str]:
        """The required field keys no header maps to, in the order given."""
        found = set(self.mapping.values())
        return [key for key in required if key not in found]

    def label(self, key: str) -> str:
        """The name of field ``key`` to put in a message (its first Chinese name, else its key)."""
        return self.labels.get(key, key)


def match_headers(headers: list[str], catalogue: Mapping[str, Iterable[str]]) -> HeaderMatch:
    """Map ``headers`` (as found in a file) to the field keys of ``catalogue`` (field key -> accepted names).

    A field's own key is accepted as a name too. First pass: exact equality of ``normalise_header`` forms. Second
    pass, only for headers still unmatched: a Chinese header of at least 4 characters may match a Chinese name
    that differs by at most one edit per 4 characters, provided that the text in brackets and every non-Chinese
    character (digits, codes) are identical, no unit/date/negation character (元, 万, 至, 否...) differs, exactly
    one field is that close, and no other header claims that field. Each fuzzy match is a warning that names the
    header and the field; a header close to two fields is left unmatched, with a warning.

    A name that two fields share after normalising is a catalogue mistake: it matches neither field, and a
    warning says so (``catalogue_conflicts`` finds such names up front, for a test of the catalogue).
    """
    result = HeaderMatch()
    index, conflicts = _build_index(catalogue, result.labels)
    exact: dict[str, str] = {}
    unmatched: list[str] = []
    for header in headers:
        if header in exact or header in unmatched:
            continue
        key = normalise_header(header)
        if key in conflicts:
            names = "、".join(f"「{result.label(f)}」" for f in sorted(conflicts[key]))
            result.warnings.append(f"表头「{_show(header)}」同时是字段{names}的名称，无法确定对应哪一个，未自动匹配")
            unmatched.append(header)
        elif key in index:
            exact[header] = index[key]
        else:
            unmatched.append(header)
    claimed: dict[str, list[str]] = {}
    for header, key in exact.items():
        claimed.setdefault(key, []).append(header)

    fuzzy_claims: dict[str, list[str]] = {}
    for header in unmatched:
        near = _fuzzy_field(header, index, result)
        if near is None:
            continue
        if near in claimed:
            result.warnings.append(
                f"表头「{_show(header)}」与字段「{result.label(near)}」相近，但该字段已由表头「{_show(claimed[near][0])}」"
                "对应，未自动匹配"
            )
            continue
        fuzzy_claims.setdefault(near, []).append(header)

    for field_key, claimants in fuzzy_claims.items():
        if len(claimants) > 1:
            shown = "、".join(f"「{_show(h)}」" for h in claimants)
            result.warnings.append(
                f"表头{shown}都与字段「{result.label(field_key)}」相近，无法确定哪一列是该字段，均未自动匹配"
            )
            continue
        result.fuzzy[claimants[0]] = field_key
        result.warnings.append(
            f"表头「{_show(claimants[0])}」与标准名称「{result.label(field_key)}」相近（可能是扫描识别错误），"
            "已按该字段读取，请核对"
        )

    for header in headers:
        if header in result.mapping or header in result.unknown:
            continue
        found = exact.get(header) or result.fuzzy.get(header)
        if found is None:
            result.unknown.append(header)
        elif claimed.get(found, [header])[0] == header:
            result.mapping[header] = found

    for field_key, claimants in claimed.items():
        if len(claimants) > 1:
            result.duplicates[field_key] = claimants
            others = "、".join(f"「{_show(h)}」" for h in claimants[1:])
            result.warnings.append(
                f"表头「{_show(claimants[0])}」和{others}都对应字段「{result.label(field_key)}」，"
                f"已使用「{_show(claimants[0])}」列，其余列被忽略"
            )
    return result


def catalogue_conflicts(catalogue: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """Names that normalise to the same key for more than one field: normalised name -> those field keys."""
    _, conflicts = _build_index(catalogue, {})
    return conflicts


def _build_index(
    catalogue: Mapping[str, Iterable[str]], labels: dict[str, str]
) -> tuple[dict[str, str], dict[str, set[str]]]:
    index: dict[str, str] = {}
    conflicts: dict[str, set[str]] = {}
    for key, names in catalogue.items():
        names = [str(n) for n in names if n]
        labels[key] = next((n for n in names if _CJK.search(n)), names[0] if names else key)
        for name in (*names, key):
            normal = normalise_header(name)
            if not normal:
                continue
            if normal in conflicts:
                conflicts[normal].add(key)
            elif index.get(normal, key) != key:
                conflicts[normal] = {index.pop(normal), key}
            else:
                index[normal] = key
    return index, conflicts


def _fuzzy_field(header: str, index: Mapping[str, str], result: HeaderMatch) -> str | None:
    """The one field whose name is an OCR-slip away from ``header``, or None (with a warning if it is ambiguous)."""
    normal = normalise_header(header)
    if len(normal) < _FUZZY_MIN_LENGTH or not _CJK.search(normal):
        return None
    close: set[str] = set()
    for name, key in index.items():
        if _ocr_close(normal, name):
            close.add(key)
    if len(close) > 1:
        names = "、".join(f"「{result.label(k)}」" for k in sorted(close))
        result.warnings.append(f"表头「{_show(header)}」与字段{names}都相近，无法确定对应哪一个，未自动匹配")
        return None
    return next(iter(close), None)


def _ocr_close(header: str, name: str) -> bool:
    if len(name) < _FUZZY_MIN_LENGTH or not _CJK.search(name):
        return False
    allowed = len(name) // _FUZZY_CHARS_PER_EDIT
    if abs(len(header) - len(name)) > allowed:
        return False
    if _BRACKETED.findall(header) != _BRACKETED.findall(name):
        return False
    if _CJK.sub("", header) != _CJK.sub("", name):
        return False
    differing = (Counter(header) - Counter(name)) + (Counter(name) - Counter(header))
    if any(ch in _PROTECTED for ch in differing):
        return False
    return 0 < _edit_distance(header, name, allowed) <= allowed


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning ``limit + 1``) as soon as it must exceed ``limit``."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _show(header: str) -> str:
    """A header as it can be printed in a one-line message (line breaks inside a header cell shown as spaces)."""
    return " ".join(header.split()) or "（空表头）"

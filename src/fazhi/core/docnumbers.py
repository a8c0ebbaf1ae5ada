"""Document numbers (发文字号, 行政处罚决定书文号, 行政许可决定文书号): one canonical form for lookups.

GB/T 9704-2012 《党政机关公文格式》 §7.2.4 fixes the written form: 发文机关代字, the year in full in 六角括号 〔〕,
the serial number without 第 and without leading zeros ("不编虚位"), then 号 — ``晋政发〔2020〕12号``. Real data
writes the same number many ways: ``[2020]``, ``【2020】``, ``(2020)``, ``（2020）``, ``［2020］``, ``﹝2020﹞``,
``〈2020〉``, full-width digits, stray and zero-width spaces, ``第`` before the serial (``京环罚字[2020]第12号``),
a missing 号, even the serial after 号 (``晋政发〔2014〕号16`` in the Shanxi provincial government's own list).
:func:`normalise_doc_number` maps all of them to the canonical form and keeps the verbatim text;
:func:`doc_number_key` gives the key for exact lookups.

Numbers without a year (``山西省人民政府令第304号``) are kept as ``<prefix>第<serial>号``, the way decrees are cited.
Text that does not look like a document number at all (a 许可编号 filed as 文书号, which the standard allows) is not an
error: it is kept, folded, with the warning ``doc_number_unrecognised``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import FieldError, ValidationFailed
from .identifiers import nfkc

_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00a0\u3000]+")
# A label scraped together with the value ("发文字号：晋政发〔2023〕16号").
_LABEL = re.compile(r"(?:(?:行政)?处罚决定书文号|(?:许可)?决定(?:文)?书(?:文)?号|发文字号|发文文号|文号|字号)[:：]")
# After NFKC: （［｛﹝ have become ([{〔; the rest are kept as written.
_OPEN = "〔[【(〈<《{〖⟨⦗"
_CLOSE = "〕]】)〉>》}〗⟩⦘"
_BRACKETS = re.escape(_OPEN + _CLOSE)
_PREFIX = rf"(?P<prefix>[^0-9{_BRACKETS}]*?)"
_YEAR = rf"(?:[{re.escape(_OPEN)}](?P<year>(?:19|20)[0-9]{{2}})[{re.escape(_CLOSE)}]|(?P<year2>(?:19|20)[0-9]{{2}})年)"
_SERIAL = r"(?P<serial>[0-9]+(?:-[0-9]+)?)"
_HAO = "[号號]"
_WITH_YEAR = re.compile(rf"{_PREFIX}{_YEAR}第?{_SERIAL}(?P<hao>{_HAO})?")
_SERIAL_AFTER_HAO = re.compile(rf"{_PREFIX}{_YEAR}{_HAO}第?{_SERIAL}")
_NO_YEAR = re.compile(rf"(?P<prefix>[^0-9{_BRACKETS}]*[^0-9{_BRACKETS}第])第?{_SERIAL}{_HAO}")


@dataclass(frozen=True, slots=True)
class DocNumber:
    """A document number as given (``verbatim``) and in canonical form (``normalised``).

    Two ``DocNumber`` compare equal when their canonical forms do (``晋政发[2020]12号`` == ``晋政发〔2020〕12号``):
    ``verbatim`` and ``warnings`` take no part in comparisons or hashing. ``issuer_prefix`` (机关代字, e.g. ``晋政发``,
    ``京环罚字``), ``year`` and ``serial`` (digits, without leading zeros) are ``""``/``None`` when the text did not
    parse; then ``normalised`` is the folded text itself. Empty input gives an empty ``DocNumber``.
    """

    verbatim: str = field(compare=False)
    normalised: str
    issuer_prefix: str
    year: int | None
    serial: str | None
    warnings: tuple[FieldError, ...] = field(default=(), compare=False)

    @property
    def parsed(self) -> bool:
        """True when the text was recognised as 代字 + (年份) + 序号."""
        return self.serial is not None

    def __str__(self) -> str:
        return self.normalised


def _serial(digits: str) -> str:
    head, dash, tail = digits.partition("-")
    return (head.lstrip("0") or "0") + dash + tail


def normalise_doc_number(raw: object, *, field_name: str = "doc_number") -> DocNumber:
    """Parse a document number and give its canonical form (GB/T 9704-2012 §7.2.4): ``晋政发〔2020〕12号``.

    Accepts any text (and ``None`` = empty). Folds full-width characters, removes spaces and zero-width characters
    and a leading label such as ``发文字号：``; accepts every bracket pair around the year (also mismatched ones
    such as ``(2017〕``) or ``2020年``, ``第`` before the serial, a missing ``号`` and the serial after ``号``.
    ``字`` stays in the prefix (``京环罚字``), ``第`` never goes into the serial, and leading zeros are dropped from
    it (``0012`` → ``12``). Yearless numbers keep ``第``: ``山西省人民政府令第304号``.

    Warnings (in ``DocNumber.warnings``): ``doc_number_normalised`` when the canonical form differs from the text,
    ``doc_number_serial_after_hao`` for ``〔2014〕号16``, ``doc_number_unrecognised`` when the text is kept as it is.
    Raises :class:`ValidationFailed` (``doc_number_type``) only for values that are not text.
    """
    if raw is None:
        return DocNumber("", "", "", None, None)
    if not isinstance(raw, str):
        raise ValidationFailed(
            FieldError(field_name, "doc_number_type", f"文号应为文本，实际为{type(raw).__name__}类型的值")
        )
    verbatim = raw.strip()
    if not verbatim:
        return DocNumber("", "", "", None, None)
    label = _LABEL.match(verbatim)  # before folding: what is left is often already NFKC, which is much faster
    text = _INVISIBLE.sub("", nfkc(verbatim[label.end() :] if label else verbatim)).upper()
    label = None if label else _LABEL.match(text)
    if label:
        text = text[label.end() :]
    if not text:  # only invisible characters, or a label with nothing after it ("发文字号：")
        return DocNumber(verbatim, "", "", None, None)
    warnings: list[FieldError] = []
    swapped = False
    year: int | None = None
    match = _WITH_YEAR.fullmatch(text)
    if match is None:
        match = _SERIAL_AFTER_HAO.fullmatch(text)
        swapped = match is not None
    if match is not None:
        year = int(match["year"] or match["year2"])
        serial = _serial(match["serial"])
        normalised = f"{match['prefix']}〔{year}〕{serial}号"
    else:
        match = _NO_YEAR.fullmatch(text)
        if match is None:
            warnings.append(
                FieldError(
                    field_name,
                    "doc_number_unrecognised",
                    f"文号“{verbatim}”不是“机关代字〔年份〕序号号”的形式，已按原文保存（如为许可编号可忽略）",
                )
            )
            return DocNumber(verbatim, text, "", None, None, tuple(warnings))
        serial = _serial(match["serial"])
        normalised = f"{match['prefix']}第{serial}号"
    if swapped:
        warnings.append(
            FieldError(
                field_name,
                "doc_number_serial_after_hao",
                f"文号“{verbatim}”的序号写在了“号”字之后，已按“{normalised}”处理，请核对",
            )
        )
    elif normalised != verbatim:
        warnings.append(FieldError(field_name, "doc_number_normalised", f"文号已规范化：“{verbatim}” → “{normalised}”"))
    return DocNumber(verbatim, normalised, match["prefix"], year, serial, tuple(warnings))


def doc_number_key(raw: object) -> str:
    """Key for exact lookups: the canonical form, or the folded text (NFKC, no spaces, upper case) when it does not
    parse; ``""`` for empty input. Variants of one number get the same key. Never raises."""
    if raw is not None and not isinstance(raw, str):
        raw = str(raw)
    return normalise_doc_number(raw).normalised

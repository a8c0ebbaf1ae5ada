"""The hostile and broken input corpus, generated as data: files for every upload form and upload operation, and
hostile values for every form field and every JSON body of a write operation.

Files (``FILES``): 双公示 CSV in UTF-8, UTF-8 with BOM, GBK, GB18030, UTF-16 and undecodable bytes; columns in the
wrong order, duplicate keys, invalid codes and dates, a 1 MB field, 3,000 columns, HTML/JS, SQL fragments, formula
(CSV) injection; truncated (mid-row, mid-character), empty, header-only, NUL bytes, binary noise, other delimiters,
an unclosed quote; XLSX that is valid, with formulas, with a macro project, truncated, a CSV renamed, with two
sheets, with a 32,767-character cell; a legacy .xls header, a zip that is not a workbook; JSON that is truncated, an
object instead of a list, nested 5,000 deep, not UTF-8; hostile file names. Each file knows how many of its rows are
valid (``valid``), so "nothing lost" can be checked where it is defined.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from fazhi.core.identifiers import make_uscc, resident_id_check_char

SCRIPT = "<script>alert('xss')</script>"
IMG = '<img src=x onerror="alert(1)">'
SQL = "'; DROP TABLE publicity_penaltyrecord; --"
FORMULA = "=cmd|' /C calc'!A0"
FORMULAS = (FORMULA, "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0")

# Values put into every text field of forms and JSON bodies.
HOSTILE_TEXT = (
    SCRIPT,
    IMG,
    SQL,
    "1 OR 1=1",
    FORMULA,
    "x" * 100_000,
    "\u202e\u200b零宽与反向字符",
    "𠀀𪚥 扩展区汉字",
    "../../../../etc/passwd",
    "{{ 7*7 }}{% debug %}",
    "%s%s%s%n",
)
HOSTILE_JSON_VALUES: tuple[Any, ...] = (None, -1, 2**63, 1.5e308, True, [], {}, "2026-02-30", "9999-99-99", "")


@dataclass(frozen=True)
class Upload:
    name: str
    filename: str
    content: bytes
    kind: str = "penalty"  # which 双公示 kind the rows are, for the ingest endpoints
    valid: int | None = None  # valid rows in the file when it is a well-formed 双公示 file, else None
    docs: tuple[str, ...] = ()  # the 文书号 of every row the file carries (valid or not)


def _labels(kind: str) -> dict[str, str]:
    from fazhi.publicity.fields import catalogue

    return {s.key: s.label for s in catalogue(kind) if not s.legacy}


def penalty_rows(agency: Any, n: int, tag: str) -> list[dict[str, str]]:
    """``n`` valid penalty rows for ``agency`` (a legal person each; doc numbers unique per ``tag``)."""
    today = dt.date.today()  # noqa: DTZ011 - a calendar date
    rows = []
    for i in range(n):
        decided = today - dt.timedelta(days=10 + i % 50)
        rows.append(
            {
                "party_name": f"语料{tag}商贸有限公司{i}",
                "party_category": "法人及非法人组织",
                "party_uscc": make_uscc("91", agency.division.code[:6], f"{(hash(tag) % 9000 + 1000):04d}{i:04d}"),
                "legal_rep": "王五",
                "doc_number": f"语料罚〔{decided.year}〕{tag}-{i}号",
                "violation_type": "未按规定公示许可证",
                "facts": "检查发现，当事人未在经营场所显著位置公示许可证。",
                "basis": "《中华人民共和国食品安全法》第一百二十六条",
                "kinds": "罚款",
                "content": "罚款0.5万元",
                "fine_wan": "0.5",
                "decided_on": decided.isoformat(),
                "decision_agency_name": agency.name,
                "decision_agency_uscc": agency.uscc,
                "source_agency_name": agency.name,
                "source_agency_uscc": agency.uscc,
            }
        )
    return rows


def to_csv(rows: list[dict[str, str]], *, kind: str = "penalty", order: list[str] | None = None) -> str:
    labels = _labels(kind)
    keys = order or list(rows[0])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([labels[k] for k in keys])
    for row in rows:
        writer.writerow([row.get(k, "") for k in keys])
    return out.getvalue()


def to_xlsx(rows: list[list[Any]], *, sheets: int = 1) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for n in range(1, sheets):
        wb.create_sheet(f"Sheet{n + 1}").append(["无关", "表格"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _with_macro(xlsx: bytes) -> bytes:
    """The workbook with a VBA project and the macro-enabled content type (what Excel saves as .xlsm)."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
            dst.writestr(item, data)
        dst.writestr(
            "xl/vbaProject.bin",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b'Attribute VB_Name = "Module1"\r\nSub Auto_Open()\r\nShell "calc"\r\nEnd Sub\r\n',
        )
    return out.getvalue()


def uploads(agency: Any) -> list[Upload]:
    """The file corpus for one submitting agency."""
    good = penalty_rows(agency, 3, "ok")
    base = to_csv(good)
    labels = _labels("penalty")
    keys = list(good[0])
    files: list[Upload] = []

    def add(
        name: str,
        filename: str,
        content: bytes | str,
        valid: int | None = None,
        kind: str = "penalty",
        source: list[dict[str, str]] | None = None,
    ) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        docs = tuple(sorted({row["doc_number"] for row in source or ()}))
        files.append(Upload(name, filename, data, kind, valid, docs))

    add("csv_utf8", "ok.csv", base, 3, source=good)
    rows = penalty_rows(agency, 2, "bom")
    add("csv_utf8_bom", "bom.csv", "\ufeff" + to_csv(rows), 2, source=rows)
    rows = penalty_rows(agency, 2, "gbk")
    add("csv_gbk", "gbk.csv", to_csv(rows).encode("gbk"), 2, source=rows)
    rows = penalty_rows(agency, 2, "gb18030")
    add("csv_gb18030", "gb18030.csv", to_csv(rows).encode("gb18030"), 2, source=rows)
    add("csv_utf16", "utf16.csv", to_csv(penalty_rows(agency, 2, "utf16")).encode("utf-16"), None)
    add("csv_undecodable", "bad-bytes.csv", base.encode("utf-8")[:200] + bytes(range(128, 256)) * 20)
    shuffled = list(reversed(keys))
    rows = penalty_rows(agency, 2, "order")
    add("csv_wrong_column_order", "order.csv", to_csv(rows, order=shuffled), 2, source=rows)
    dup = penalty_rows(agency, 2, "dup")
    add("csv_duplicate_keys", "dup.csv", to_csv([dup[0], dup[0], dup[1]]), 2, source=dup)
    add("csv_duplicate_header", "duphead.csv", to_csv(penalty_rows(agency, 1, "dh"), order=[*keys, "party_name"]))
    bad_codes = penalty_rows(agency, 4, "codes")
    bad_codes[0]["party_uscc"] = "91140105MA0K00000X"
    bad_codes[1]["decision_agency_uscc"] = "123"
    bad_codes[2]["party_category"] = "外星人"
    add("csv_invalid_codes", "codes.csv", to_csv(bad_codes), 1, source=bad_codes)
    bad_dates = penalty_rows(agency, 5, "dates")
    for row, value in zip(bad_dates, ("2026-02-30", "13/45/2026", "二〇二六年十三月", "9999-12-31"), strict=False):
        row["decided_on"] = value
    add("csv_invalid_dates", "dates.csv", to_csv(bad_dates), 1, source=bad_dates)
    person = penalty_rows(agency, 2, "idno")
    body = "14010519900307123"
    person[0].update(party_category="自然人", party_uscc="", party_id_type="身份证", party_id_number=body + "0")
    person[1].update(
        party_category="自然人",
        party_uscc="",
        party_id_type="身份证",
        party_id_number=body + resident_id_check_char(body),
    )
    add("csv_invalid_id_number", "idno.csv", to_csv(person), None)
    money = penalty_rows(agency, 3, "money")
    money[0]["fine_wan"] = "-5"
    money[1]["fine_wan"] = "1e309"
    money[2]["fine_wan"] = "五万"
    add("csv_invalid_amounts", "money.csv", to_csv(money), None)
    huge = penalty_rows(agency, 2, "huge")
    huge[0]["party_name"] = "巨" * 1_000_000
    add("csv_huge_field", "huge.csv", to_csv(huge), 1, source=huge)
    add("csv_3000_columns", "wide.csv", ",".join(f"列{i}" for i in range(3000)) + "\n" + ",".join("x" * 3000) + "\n")
    html = penalty_rows(agency, 2, "html")
    html[0]["party_name"] = f"{SCRIPT}有限公司"
    html[1]["facts"] = f"{IMG}检查发现"
    add("csv_html_js", "html.csv", to_csv(html), 2, source=html)
    sql = penalty_rows(agency, 2, "sql")
    sql[0]["party_name"] = f"{SQL}有限公司"
    sql[1]["facts"] = "1' OR '1'='1"
    add("csv_sql_fragments", "sql.csv", to_csv(sql), 2, source=sql)
    inj = penalty_rows(agency, len(FORMULAS), "inj")
    for row, formula in zip(inj, FORMULAS, strict=True):
        row["party_name"] = formula
        row["remarks"] = formula
    add("csv_formula_injection", "inj.csv", to_csv(inj), len(FORMULAS), source=inj)
    encoded = base.encode("utf-8")
    cut = encoded.index("语料".encode()) + 1  # in the middle of a 3-byte character
    add("csv_truncated_mid_character", "cut-char.csv", encoded[:cut])
    add("csv_truncated_mid_row", "cut-row.csv", encoded[: len(encoded) - 40])
    add("csv_empty", "empty.csv", b"", None)
    add("csv_header_only", "header.csv", base.splitlines()[0] + "\n", None)
    add("csv_bom_only", "bom-only.csv", "\ufeff".encode())
    add("csv_nul_bytes", "nul.csv", encoded.replace(b",", b"\x00,", 5))
    add("csv_binary_noise", "noise.csv", bytes((i * 7919) % 256 for i in range(20_000)))
    add("csv_semicolons", "semi.csv", base.replace(",", ";"))
    add("csv_tabs", "tabs.tsv", base.replace(",", "\t"))
    add("csv_unclosed_quote", "quote.csv", base.replace("语料ok商贸有限公司1", '"语料ok商贸有限公司1'))
    add("csv_cr_only", "cr.csv", base.replace("\r\n", "\r").replace("\n", "\r"), 3, source=good)
    add("csv_only_unknown_headers", "unknown.csv", "甲,乙,丙\n1,2,3\n")
    add("csv_long_line", "long-line.csv", "a" * 5_000_000)

    header = [labels[k] for k in keys]
    xrows = penalty_rows(agency, 2, "xlsx")
    add("xlsx_valid", "ok.xlsx", to_xlsx([header] + [[r[k] for k in keys] for r in xrows]), 2, source=xrows)
    frows = penalty_rows(agency, 3, "xf")
    grid = [header] + [[r[k] for k in keys] for r in frows]
    grid[1][0] = '=HYPERLINK("http://evil.example/","点击")'
    grid[2][0] = "=1+1"
    grid[3][keys.index("remarks") if "remarks" in keys else 0] = FORMULA
    add("xlsx_formulas", "formulas.xlsx", to_xlsx(grid), None)
    add(
        "xlsx_macro",
        "macro.xlsx",
        _with_macro(to_xlsx([header] + [[r[k] for k in keys] for r in penalty_rows(agency, 1, "m")])),
    )
    add(
        "xlsm_macro",
        "macro.xlsm",
        _with_macro(to_xlsx([header] + [[r[k] for k in keys] for r in penalty_rows(agency, 1, "m2")])),
    )
    valid_xlsx = to_xlsx([header] + [[r[k] for k in keys] for r in penalty_rows(agency, 2, "xt")])
    add("xlsx_truncated", "cut.xlsx", valid_xlsx[: len(valid_xlsx) // 2])
    add("xlsx_csv_renamed", "csv.xlsx", base)
    rows = penalty_rows(agency, 2, "two")
    add(
        "xlsx_two_sheets",
        "two.xlsx",
        to_xlsx([header] + [[r[k] for k in keys] for r in rows], sheets=2),
        2,
        source=rows,
    )
    add("xlsx_empty_workbook", "blank.xlsx", to_xlsx([]))
    big = penalty_rows(agency, 1, "bigcell")
    big[0]["facts"] = "长" * 32_767
    add("xlsx_huge_cell", "bigcell.xlsx", to_xlsx([header] + [[r[k] for k in keys] for r in big]))
    dates = penalty_rows(agency, 1, "xd")
    dgrid: list[list[Any]] = [header] + [[r[k] for k in keys] for r in dates]
    dgrid[1][keys.index("decided_on")] = 46000  # an Excel serial number stored as a plain number
    add("xlsx_date_as_number", "serial.xlsx", to_xlsx(dgrid))
    add("xls_legacy", "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    add("zip_not_workbook", "zip.xlsx", zbuf.getvalue())

    jrows = penalty_rows(agency, 2, "json")
    add(
        "json_valid",
        "ok.json",
        json.dumps([{labels[k]: v for k, v in r.items()} for r in jrows], ensure_ascii=False),
        2,
        source=jrows,
    )
    add("json_object_not_list", "obj.json", json.dumps({"a": 1}))
    add("json_truncated", "cut.json", json.dumps([{labels[k]: v for k, v in r.items()} for r in jrows])[:150])
    add("json_deep_nesting", "deep.json", "[" * 5000 + "]" * 5000)
    add("json_not_utf8", "gbk.json", json.dumps([{"行政相对人名称": "某公司"}], ensure_ascii=False).encode("gbk"))
    add("json_scalars", "scalars.json", "[1, 2, null, true]")
    add("name_path_traversal", "../../../../etc/passwd.csv", base)
    add("name_script", f"{SCRIPT}.csv", base)
    add("name_very_long", "长" * 300 + ".csv", base)
    add("name_no_extension", "noext", base)
    return files


def hostile_bodies(schema: dict[str, Any], components: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """JSON bodies for one operation: broken shapes, then each property set to hostile values of every kind."""
    yield "empty_object", {}
    yield "list", []
    yield "string", "just a string"
    yield "null", None
    yield "deep", json.loads("[" * 500 + "]" * 500)
    props = _properties(schema, components)
    if not props:
        return
    for value in HOSTILE_TEXT[:5]:
        yield f"all_text={value[:12]!r}", {name: value for name in props}
    for value in HOSTILE_JSON_VALUES:
        yield f"all={value!r}"[:40], {name: value for name in props}


def _properties(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref:
        schema = components.get(ref.rsplit("/", 1)[-1], {})
    return dict(schema.get("properties", {}))


RAW_BODIES = (
    ("invalid_json", b'{"a": '),
    ("not_utf8", '{"名称": "某"}'.encode("gbk")),
    ("nul", b'{"name": "a\x00b"}'),
    ("bom", codecs.BOM_UTF8 + b"{}"),
)


# --- forms ---------------------------------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: dict[str, str]  # name -> a valid-looking value (first option for selects, else empty)
    files: list[str]
    texts: list[str]


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                multipart="multipart" in a.get("enctype", ""),
                fields={},
                files=[],
                texts=[],
            )
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            name = a["name"]
            if kind == "file":
                self._form.files.append(name)
            elif kind in ("checkbox", "radio"):
                self._form.fields.setdefault(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "image", "reset"):
                self._form.fields[name] = a.get("value", "")
                if kind in ("text", "search", "email", "url", "tel", "") and name != "csrfmiddlewaretoken":
                    self._form.texts.append(name)
        elif tag == "textarea":
            self._form.fields[a["name"]] = ""
            self._form.texts.append(a["name"])
        elif tag == "select":
            self._select = a["name"]
            self._form.fields.setdefault(a["name"], "")
        elif tag == "option" and self._select and self._form.fields.get(self._select) == "" and a.get("value"):
            self._form.fields[self._select] = a["value"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return [f for f in parser.forms if f.method == "post"]

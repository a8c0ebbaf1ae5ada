"""Every real sample file reads completely: the same headers and row count Python's csv module finds on its own."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from fazhi.ingest.readers import match_headers, open_table


def independent_count(path: Path) -> tuple[list[str], int]:
    """Header and number of non-blank records after it, read with nothing but the csv module."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        records = [r for r in csv.reader(f) if any(cell.strip() for cell in r)]
    return records[0], len(records) - 1


def test_every_sample_csv_reads_without_error(shared_data: Path) -> None:
    samples = sorted((shared_data / "samples").glob("*.csv"))
    assert len(samples) >= 9
    for path in samples:
        header, count = independent_count(path)
        with open_table(path) as table:
            assert table.format == "csv", path.name
            assert table.encoding == "utf-8", path.name
            assert table.headers == header, path.name
            rows = list(table.rows())
        assert len(rows) == count, path.name
        assert rows[-1].number == count + 1, path.name  # no blank lines in these files
        assert [r for r in rows if r.problems] == [], path.name


def test_ocr_header_with_spaces_matches_its_field(shared_data: Path) -> None:
    path = shared_data / "samples" / "gansu_credit_blacklist_200257_worksafety_ocr.csv"
    with open_table(path) as table:
        assert "统一社 会信用 代码" in table.headers
        match = match_headers(table.headers, {"uscc": ["统一社会信用代码"], "name": ["单位名称"]})
        first = next(table.rows())
    assert match.mapping == {"统一社 会信用 代码": "uscc", "单位名 称": "name"}
    # the reader keeps the OCR space inside the value: cleaning codes is the validator's job
    assert first.values["统一社 会信用 代码"] == "913713005 578801721"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_a_real_sample_converted_to_gbk_reads_back_identically(
    shared_data: Path, tmp_path: Path, encoding: str
) -> None:
    source = shared_data / "samples" / "creditchina_2017_env_key_polluters_penalties.csv"
    converted = tmp_path / "converted.csv"
    converted.write_bytes(source.read_text(encoding="utf-8").encode(encoding))
    with open_table(source) as table:
        original = [(r.number, r.values) for r in table.rows()]
    with open_table(converted) as table:
        assert table.encoding == "gb18030"
        assert table.warnings == ["文件编码为 GBK，已自动识别"]
        assert [(r.number, r.values) for r in table.rows()] == original
    assert any("罚款" in (values["处罚结果"] or "") for _, values in original)

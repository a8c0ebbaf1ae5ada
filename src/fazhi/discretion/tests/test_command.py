"""``fazhi discretion …``: import (the same service, exit codes, a report file), the Guangdong conversion, the
template and the daily search refresh."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command

from fazhi.discretion.models import BenchmarkItem
from fazhi.discretion.spreadsheet import write_csv
from fazhi.discretion.tests.conftest import FEES, OBSTRUCTION

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    code: object = 0
    try:
        call_command("discretion", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_import_command(make_benchmark, tmp_path):
    draft = make_benchmark(rows=OBSTRUCTION, publish=False)
    good = tmp_path / "基准.csv"
    good.write_bytes(write_csv(FEES))
    code, out, _ = run("import", str(good), "--document", "并环发[2022]1号")
    assert code == 0 and "新增事项 1" in out
    code, out, _ = run("import", str(good), "--document", "并环发〔2022〕1号")
    assert code == 0 and "新增事项 0，更新 0，未变 1" in out
    bad = tmp_path / "有错.csv"
    bad.write_bytes(write_csv([{"事项编码": "9", "违法行为": "x", "处罚依据": "y", "情形": "a", "罚款": "很多"}]))
    report = tmp_path / "问题.csv"
    code, out, _ = run("import", str(bad), "--document", "并环发〔2022〕1号", "--errors", str(report))
    assert code == 1 and "拒绝 1 行" in out
    rows = list(csv.reader(report.open(encoding="utf-8-sig")))
    assert rows[0] == ["row", "level", "field", "field_label", "code", "message"]
    assert rows[1][:5] == ["2", "错误", "fine", "罚款", "invalid_fine"]
    assert BenchmarkItem.objects.filter(benchmark=draft).count() == 2


def test_import_command_refuses_what_it_cannot_use(make_benchmark, tmp_path):
    make_benchmark(publish=False)
    assert run("import", str(tmp_path / "没有.csv"), "--document", "并环发〔2022〕1号")[0] == 2
    empty = tmp_path / "空.csv"
    empty.write_bytes(b"")
    code, _, err = run("import", str(empty), "--document", "并环发〔2022〕1号")
    assert code == 2 and "文件为空" in err
    code, _, err = run("import", str(empty), "--document", "并环发〔2099〕1号")
    assert code == 2 and "没有文号为 并环发〔2099〕1号 的裁量基准" in err


def test_convert_guangdong_command(shared_data, tmp_path):
    out_file = tmp_path / "广东.csv"
    code, out, _ = run(
        "convert-guangdong",
        str(shared_data / "discretion/guangdong_eco_env_fine_discretion_table_2022.tables.json"),
        "--no-penalty",
        str(shared_data / "discretion/guangdong_eco_env_no_penalty_minor_violations_list_2022.tables.json"),
        "--out",
        str(out_file),
    )
    assert code == 0 and "裁量表共 281 项：转换 237 个事项" in out and "46 项：权重累加模式" in out
    assert out_file.read_bytes().decode("utf-8-sig").startswith("事项编码,违法行为")


def test_template_and_refresh_commands(make_benchmark, tmp_path):
    target = tmp_path / "模板.xlsx"
    assert run("template", "--out", str(target))[0] == 0 and target.read_bytes()[:2] == b"PK"
    make_benchmark()
    code, out, _ = run("refresh-search")
    assert code == 0 and "施行中的裁量事项：2 项" in out

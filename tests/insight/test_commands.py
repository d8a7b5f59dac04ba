"""The ``xinsheng insight`` command: normalize, evaluate a labelled file, export labelled cases."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from tests.cases.factories import make_cast, make_category, submit
from tests.conftest import Tree
from xinsheng.cases import services
from xinsheng.insight.nlp.synthetic import voices


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("insight", *args, stdout=out)
    return out.getvalue()


def test_normalize_cleans_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "sys.stdin", io.StringIO("冀中能源邯礦集團(tuán)\n重振雄風(fēng)? @\n;Y$@0\n")
    )
    assert run("normalize") == "冀中能源邯矿集团\n重振雄风？\n"


def test_evaluate_prints_the_scores_of_a_csv_file(tmp_path: Path) -> None:
    texts, labels = voices(300, seed=21)
    path = tmp_path / "labelled.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as target:
        writer = csv.writer(target)
        writer.writerow(["编号", "留言详情", "一级分类"])
        writer.writerows(
            (n, t, label) for n, (t, label) in enumerate(zip(texts, labels, strict=True))
        )
    output = run("evaluate", str(path), "--text", "留言详情", "--label", "一级分类")
    assert "300 labelled texts in 10 categories" in output
    assert "stratified 5-fold cross-validation" in output
    for heading in ("accuracy", "macro-F1", "training time", "prediction time"):
        assert heading in output
    assert "ms per text" in output
    assert "食堂" in output
    assert float(output.split("macro-F1")[1].split()[0]) >= 0.9


def test_evaluate_reads_an_xlsx_file_by_column_number(tmp_path: Path) -> None:
    texts, labels = voices(200, seed=22)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["内容", "类别"])
    for row in zip(texts, labels, strict=True):
        sheet.append(list(row))
    path = tmp_path / "labelled.xlsx"
    book.save(path)
    output = run("evaluate", str(path), "--text", "1", "--label", "2", "--folds", "3")
    assert "200 labelled texts" in output
    assert "stratified 3-fold" in output


def test_evaluate_explains_a_wrong_column(tmp_path: Path) -> None:
    path = tmp_path / "labelled.csv"
    path.write_text("text,label\n食堂饭菜太咸,食堂\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no column 'category'"):
        run("evaluate", str(path), "--text", "text", "--label", "category")
    with pytest.raises(CommandError, match="at least two categories"):
        run("evaluate", str(path), "--text", "text", "--label", "label")


@pytest.mark.django_db
def test_export_labelled_writes_the_accepted_cases(tree: Tree, tmp_path: Path) -> None:
    cast = make_cast(tree)
    canteen = make_category()
    shuttle = make_category("shuttle", "通勤班车")
    for text, category in [
        ("食堂饭菜太咸了，希望改进。", canteen),
        ("班车经常晚点，上班迟到。", shuttle),
        ("班车经常晚点，上班迟到。", shuttle),
    ]:
        case = submit(tree, text).case
        services.case_accept(case=case, actor=cast.dispatcher, category=category)
    submit(tree, "还没有受理的声音。")
    rejected = submit(tree, "被退回的声音。").case
    services.case_reject(case=rejected, actor=cast.dispatcher, reason="与本单位无关")

    output = run("export-labelled", "-o", str(tmp_path / "all.csv"))
    assert "Wrote 3 labelled cases" in output
    rows = list(csv.reader((tmp_path / "all.csv").open(encoding="utf-8")))
    assert rows == [
        ["text", "label"],
        ["食堂饭菜太咸了，希望改进。", "食堂"],
        ["班车经常晚点，上班迟到。", "通勤班车"],
        ["班车经常晚点，上班迟到。", "通勤班车"],
    ]
    run("export-labelled", "--distinct", "-o", str(tmp_path / "distinct.csv"))
    assert len(list(csv.reader((tmp_path / "distinct.csv").open(encoding="utf-8")))) == 3

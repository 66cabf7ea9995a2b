"""Imports are all or nothing for real: what the dry run accepts the commit can write (the model's own
limits), a row refused while writing (by a service or by the database) writes nothing, workbooks with
macros, external links or embedded objects are refused by content, and a formula cell is named as one."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from dangjian.core import services
from dangjian.core.imports import PEOPLE
from dangjian.core.imports_orgs import ORGS
from dangjian.core.imports_positions import POSITIONS
from dangjian.core.models import Gender, Organization, Person, PersonType, Position
from dangjian.jobs.models import Job
from dangjian.spreadsheets.engine import ImportAborted, commit, dry_run
from dangjian.spreadsheets.limits import field_limits
from dangjian.spreadsheets.reader import FileRejected, read_sheet
from dangjian.spreadsheets.spec import Column, ImportSpec
from tests.spreadsheets.test_people_import import row, summary, xlsx

LONG_NAME = "张" * 51


def people_rows(count: int, **last: object) -> list[list[object]]:
    """``count`` valid people without ID numbers (birth dates instead); ``last`` overrides the last row."""
    rows = [row(n, number="", birth="1990-01-01") for n in range(1, count)]
    return [*rows, row(count, number="", birth="1990-01-01", **last)]


def imported() -> int:
    return Person.objects.filter(staff_number__startswith="IMP").count()


# --- the model's limits in the dry run -----------------------------------------------------------


@pytest.mark.parametrize("name", [LONG_NAME, "张" * 500])
def test_a_name_longer_than_the_model_allows_is_a_row_message_and_nothing_is_written(
    world, upload, name
) -> None:
    checked = upload(xlsx(people_rows(502, **{"姓名": name})))
    assert summary(checked) == {"新增": 501, "更新": 0, "无变化": 0, "错误": 1}
    assert f"第 503 行 姓名: 不能超过 50 个字符(现有 {len(name)} 个)" in checked.row_errors
    assert checked.result["can_commit"] is False
    done = upload.commit(checked, mode="all")
    assert done.status == "succeeded" and "未导入任何数据" in done.result["message"]
    assert imported() == 0


def test_commit_of_the_valid_rows_writes_exactly_the_rows_the_dry_run_accepted(world, upload) -> None:
    checked = upload(xlsx(people_rows(502, **{"姓名": LONG_NAME})))
    done = upload.commit(checked, mode="valid_only")
    assert done.status == "succeeded", done.error_message
    assert summary(done)["已新增"] == 501 and summary(done)["未导入"] == 1
    assert imported() == 501 and not Person.objects.filter(staff_number="IMP0502").exists()


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"民族": "汉" * 21}, "第 2 行 民族: 不能超过 20 个字符(现有 21 个)"),
        ({"所在单位": "院" * 121}, "第 2 行 所在单位: 不能超过 120 个字符(现有 121 个)"),
    ],
)
def test_every_column_written_to_a_model_field_gets_its_length_limit(world, upload, over, message) -> None:
    checked = upload(xlsx([row(1, **over)]))
    assert message in checked.row_errors, checked.row_errors


def test_an_org_import_gets_the_organization_limits_for_free(world) -> None:
    assert {limit.key for limit in field_limits(ORGS)} >= {
        "code",
        "name",
        "short_name",
        "kind",
        "category",
        "unit",
        "contact_phone",
    }


# --- a row refused while writing: nothing is written ---------------------------------------------


def _direct_spec() -> ImportSpec:
    """A spec that writes straight to the table and never looks for clashes: whatever the database
    refuses reaches the engine as a database error."""

    def apply(values: dict[str, Any], existing: Any, ctx: Any) -> Person:
        return Person.objects.create(
            name=values["name"],
            staff_number=values["staff_number"],
            gender=Gender.MALE,
            person_type=PersonType.STAFF,
            birth_date=date(1990, 1, 1),
        )

    return ImportSpec(
        name="人员",
        columns=(Column("name", "姓名", required=True), Column("staff_number", "工号/学号", required=True)),
        natural_key="staff_number",
        validate=lambda values, ctx: {},
        find=lambda values, ctx: (None, ""),
        unchanged=lambda values, existing: False,
        apply=apply,
    )


def _sheet(rows: list[list[object]], headers: list[str]) -> Any:
    return read_sheet(io.BytesIO(xlsx(rows, headers=headers)), headers)


def test_a_clash_created_between_dry_run_and_commit_rolls_back_every_earlier_batch(world) -> None:
    spec = _direct_spec()
    outcomes = dry_run(spec, _sheet([[f"导入{n}", f"IMP{n:04d}"] for n in range(1, 6)], spec.headers), None)
    assert [o.status for o in outcomes] == ["new"] * 5
    Person.objects.create(  # someone registers the last row's staff number meanwhile
        name="别人",
        staff_number="IMP0005",
        gender=Gender.MALE,
        person_type=PersonType.STAFF,
        birth_date=date(1990, 1, 1),
    )
    with pytest.raises(ImportAborted) as refused:
        commit(spec, outcomes, None, batch=2)  # rows 2–5 land in two batches before row 6 clashes
    assert refused.value.line.startswith("第 6 行 与已有记录冲突")
    assert "IntegrityError" not in refused.value.line and "UNIQUE" not in refused.value.line.upper()
    assert list(Person.objects.filter(staff_number__startswith="IMP").values_list("name", flat=True)) == [
        "别人"
    ]


def test_the_commit_takes_no_savepoint_per_row(world) -> None:
    """Any refused row aborts the whole commit, so rows are not wrapped one by one: on PostgreSQL each
    savepoint is a subtransaction, and thousands of them slow every query of the transaction."""
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    spec = _direct_spec()
    outcomes = dry_run(spec, _sheet([[f"导入{n}", f"IMP{n:04d}"] for n in range(1, 21)], spec.headers), None)
    with CaptureQueriesContext(conn) as queries:
        assert commit(spec, outcomes, None, batch=5)["new"] == 20
    savepoints = [q for q in queries.captured_queries if q["sql"].upper().startswith("SAVEPOINT")]
    assert len(savepoints) <= 1, savepoints  # the commit's own transaction (a savepoint inside the test's)
    assert imported() == 20


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL enforces varchar lengths")
def test_a_value_the_database_refuses_is_a_chinese_row_message_and_nothing_is_written(world) -> None:
    spec = _direct_spec()  # no model named: the dry run cannot know the limit, PostgreSQL refuses
    outcomes = dry_run(spec, _sheet([["导入1", "IMP0001"], [LONG_NAME, "IMP0002"]], spec.headers), None)
    with pytest.raises(ImportAborted) as refused:
        commit(spec, outcomes, None, batch=1)
    assert refused.value.line == "第 3 行 有内容超出允许的长度或范围，请核对后重新上传预检"
    assert imported() == 0


def test_a_refusal_by_the_service_in_the_commit_job_writes_nothing(
    world, upload, monkeypatch, settings
) -> None:
    settings.IMPORT_BATCH_SIZE = 2
    checked = upload(xlsx(people_rows(5)))
    real = services.person_create

    def refuse_the_last(**kwargs: Any) -> Person:
        if kwargs["staff_number"] == "IMP0005":
            from django.core.exceptions import ValidationError

            raise ValidationError("工号/学号已被使用。")
        return real(**kwargs)

    def refuse_the_batch(**kwargs: Any) -> list[Person]:
        from django.core.exceptions import ValidationError

        raise ValidationError("simulated clash")  # the engine then goes row by row to name the row

    monkeypatch.setattr(services, "people_create_bulk", refuse_the_batch)
    monkeypatch.setattr(services, "person_create", refuse_the_last)
    done = upload.commit(checked)
    assert done.status == "succeeded"
    assert done.result["message"] == "第 6 行 工号/学号已被使用。未导入任何数据。"  # one full stop
    assert "未导入任何数据" in done.result["message"] and summary(done)["已新增"] == 0
    assert imported() == 0


def test_a_commit_refuses_when_the_data_changed_since_the_preview(world, upload, college_organizer) -> None:
    checked = upload(xlsx(people_rows(3)))
    assert summary(checked)["新增"] == 3
    services.person_create(  # someone registers the third person meanwhile, in the same branch
        actor=college_organizer,
        name="导入3",
        staff_number="IMP0003",
        gender=Gender.MALE,
        person_type=PersonType.STAFF,
        birth_date=date(1990, 1, 1),
        organization=world.cs_branch,
        ethnicity="汉族",
    )
    done = upload.commit(checked)
    assert "自预检以来数据已有变化" in done.result["message"]
    assert imported() == 1  # only the one registered meanwhile


# --- dates of events are not in the future --------------------------------------------------------


def test_a_birth_date_after_today_is_a_row_message(world, upload) -> None:
    checked = upload(xlsx([row(1, number="", birth="2999-01-01")]))
    assert any(line.startswith("第 2 行 出生日期: 不能晚于今天(") for line in checked.row_errors)


def test_a_post_started_after_today_is_refused(world, import_file, college_organizer) -> None:
    content = xlsx(
        [[world.secretary.staff_number, "CS-T1", "组织委员", "2999-09-01"]], headers=POSITIONS.headers
    )
    checked = import_file(college_organizer, "positions", content)
    assert any(line.startswith("第 2 行 任职日期: 不能晚于今天(") for line in checked.row_errors)
    import_file(college_organizer, "positions", content, commit="valid_only")
    assert not Position.objects.filter(started_on=date(2999, 9, 1)).exists()


def test_an_org_established_after_today_is_refused(world, import_file, school_admin) -> None:
    values = {h: "" for h in ORGS.headers}
    values.update({"组织代码": "CS-T9", "组织全称": "第九支部", "组织类型": "党支部", "上级组织代码": "CS"})
    values["成立日期"] = "2999-01-01"
    checked = import_file(
        school_admin, "orgs", xlsx([[values[h] for h in ORGS.headers]], headers=ORGS.headers)
    )
    assert any(line.startswith("第 2 行 成立日期: 不能晚于今天(") for line in checked.row_errors)
    assert not Organization.objects.filter(code="CS-T9").exists()


# --- formulas, macros, external links, embedded objects -------------------------------------------


def test_a_formula_cell_is_named_as_a_formula_not_as_an_empty_cell(world, upload) -> None:
    content = xlsx(
        [row(1, **{"姓名": '=HYPERLINK("http://example.com","点我")'}), row(2, **{"所在单位": "=1+1"})]
    )
    checked = upload(content)
    assert "第 2 行 姓名: 不能是公式" in checked.row_errors
    assert "第 3 行 所在单位: 不能是公式" in checked.row_errors
    assert not any("必填" in line for line in checked.row_errors), checked.row_errors


def _with_parts(content: bytes, parts: dict[str, bytes], content_type: str = "") -> bytes:
    """The workbook with extra zip parts (and a content-type declaration), as Excel would save them."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml" and content_type:
                data = data.replace(b"</Types>", content_type.encode() + b"</Types>")
            out.writestr(item, data)
        for name, data in parts.items():
            out.writestr(name, data)
    return buffer.getvalue()


MACRO_TYPE = (
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>'
)
ACTIVE_PARTS = [
    pytest.param({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}, MACRO_TYPE, "含有宏", id="vba-project"),
    pytest.param({}, MACRO_TYPE, "含有宏", id="macro-content-type"),
    pytest.param(
        {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}, "", "外部链接", id="external-link"
    ),
    pytest.param({"xl/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0ole"}, "", "嵌入的对象", id="ole-object"),
    pytest.param({"xl/activeX/activeX1.xml": b"<ax/>"}, "", "嵌入的对象", id="activex"),
]


@pytest.mark.parametrize(("parts", "content_type", "message"), ACTIVE_PARTS)
def test_a_renamed_xlsx_with_active_content_is_refused_on_upload(
    world, upload, parts, content_type, message
) -> None:
    jobs = Job.objects.count()
    content = _with_parts(xlsx([row(1)]), parts, content_type)
    response = upload.client.post(
        reverse("core:import", args=["people"]), {"file": SimpleUploadedFile("people.xlsx", content)}
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert Job.objects.count() == jobs


@pytest.mark.parametrize(("parts", "content_type", "message"), ACTIVE_PARTS)
def test_the_reader_refuses_active_content_for_every_import_by_content(parts, content_type, message) -> None:
    content = _with_parts(xlsx([row(1)]), parts, content_type)
    with pytest.raises(FileRejected, match=message):
        read_sheet(io.BytesIO(content), PEOPLE.headers, name="people.xlsx")


@pytest.mark.parametrize("name", ["people.xlsm", "people.XLTM"])
def test_a_macro_enabled_workbook_is_refused_by_its_name(world, upload, name) -> None:
    response = upload.client.post(
        reverse("core:import", args=["people"]), {"file": SimpleUploadedFile(name, xlsx([row(1)]))}
    )
    assert "不接受启用宏的工作簿" in response.content.decode()
    with pytest.raises(FileRejected, match="启用宏"):
        read_sheet(io.BytesIO(xlsx([row(1)])), PEOPLE.headers, name=name)


def test_a_plain_workbook_passes_every_check(world) -> None:
    sheet = read_sheet(io.BytesIO(xlsx([row(1)])), PEOPLE.headers, name="people.xlsx")
    assert len(sheet.rows) == 1 and not sheet.formulas


def test_formula_cells_are_found_when_the_file_leaves_out_cell_references() -> None:
    """Some writers omit ``r`` on rows and cells (a cell follows the previous one; none is left out)."""
    import re

    content = xlsx([row(1, birth="1990-01-01", **{"所在单位": "=1+1"})])
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'(<(?:c|row)\b[^>]*?) r="[A-Z]*\d+"', rb"\1", data)
            out.writestr(item, data)
    sheet = read_sheet(io.BytesIO(buffer.getvalue()), PEOPLE.headers, name="people.xlsx")
    assert sheet.formulas == {(2, PEOPLE.headers.index("所在单位"))}


@pytest.mark.parametrize(
    ("xml", "found"),
    [
        (b'<row r="2"><c r="A2"><f>1+1</f><v>2</v></c></row>', True),
        (b'<row><c><x:f t="shared" ref="A2:A3" si="0"/></c></row>', True),  # prefixed, empty element
        (
            b'<fills><fill><patternFill/></fill></fills><row><c t="inlineStr"><is><t>&lt;f&gt;</t></is></c>',
            False,
        ),
        (b"<row><c><v>1</v></c></row>", False),
    ],
)
def test_the_byte_scan_for_formulas_misses_none_across_chunk_borders(xml: bytes, found: bool) -> None:
    """The quick scan that lets a file without formulas skip the element by element parse."""
    from dangjian.spreadsheets.reader import _may_hold_formulas

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("sheet.xml", b"<worksheet><sheetData>" + xml + b"</sheetData></worksheet>")
    with zipfile.ZipFile(buffer) as archive:
        for chunk in (1, 3, 7, 1 << 20):
            assert _may_hold_formulas(archive, "sheet.xml", chunk=chunk) is found


def test_derived_values_get_the_digits_and_places_of_their_field() -> None:
    from decimal import Decimal

    from dangjian.dues.imports import DUES_BASES
    from dangjian.learning.imports import ENROLMENTS

    score = next(limit for limit in field_limits(ENROLMENTS) if limit.key == "score_value")
    assert score.typed_problem(Decimal("86.5")) == ""
    assert score.typed_problem(Decimal("12345.5")) != ""  # five digits, one of them after the point
    base = next(limit for limit in field_limits(DUES_BASES) if limit.key == "base_value")
    assert base.header == "交纳基数" and base.typed_problem(Decimal("1.005")) != ""
    assert base.typed_problem("5100") == ""  # a cell the spec converts itself is not judged as text

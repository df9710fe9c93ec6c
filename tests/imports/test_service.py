"""The import service on a real database: all-or-nothing, skip-invalid, idempotence, matching."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from factorlink.achievement.models import Achievement
from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.db.session import Database
from factorlink.errors import InvalidInput, PermissionDenied
from factorlink.imports import service as service_module
from factorlink.imports.kinds import ImportKind
from factorlink.imports.readers import ImportLimits, read_table
from factorlink.imports.report import ImportRejected
from factorlink.imports.service import ImportService
from factorlink.organization.models import Organization, OrganizationKind
from tests.factories import MakeOrganization
from tests.imports.builders import (
    ACHIEVEMENT_HEADERS,
    ADMIN,
    achievement,
    dump,
    organization,
    rows_grid,
    run_import,
    write_csv,
    write_json,
    write_jsonl,
    write_xlsx,
)

VALID_CREDIT_CODE = "91330100799655058B"


def _achievements(database: Database) -> dict[str, Achievement]:
    with database.unit_of_work() as session:
        return {a.code: a for a in session.scalars(select(Achievement))}


def _organizations(database: Database) -> dict[str, Organization]:
    with database.unit_of_work() as session:
        return {o.name: o for o in session.scalars(select(Organization))}


@pytest.fixture
def existing(database: Database, make_org: MakeOrganization, tmp_path: Path) -> None:
    """Rows already stored: an organisation and two achievements from an earlier import."""
    make_org("浙江示例大学", city="hangzhou")
    path = write_csv(tmp_path / "earlier.csv", [achievement("OLD-1"), achievement("OLD-2")])
    run_import(database, ImportKind.achievement, path)


@pytest.mark.usefixtures("existing")
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_a_failed_import_leaves_the_database_exactly_as_it_was(
    database: Database, tmp_path: Path, fmt: str
) -> None:
    rows = [
        achievement("NEW-1", **{"所属机构*": "全新机构有限公司"}),  # would add an organisation
        achievement("OLD-1", **{"参考价格(万元)": "999"}),  # would update a stored row
        achievement("NEW-2"),
        achievement("NEW-3", 手机号="12345"),
    ]
    path = tmp_path / f"成果.{fmt}"
    if fmt == "csv":
        write_csv(path, rows, "gbk")
    elif fmt == "xlsx":
        write_xlsx(path, rows_grid(rows))
    else:
        write_jsonl(path, rows)
    before = dump(database)
    assert before["achievements"] and before["organizations"]

    with pytest.raises(ImportRejected) as caught:
        run_import(database, ImportKind.achievement, path)

    assert dump(database) == before
    report = caught.value.report
    assert report.failed and report.rejected == 1
    [error] = report.errors
    expected_row = 4 if fmt == "jsonl" else 5
    assert (error.file, error.row, error.column, error.value) == (
        path.name,
        expected_row,
        "手机号",
        "*****",
    )
    assert caught.value.errors[0]["reason_en"].startswith("invalid mobile number")


def test_gbk_csv_imports_every_field(database: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "成果.csv", [achievement("A1")], "gbk")
    report = run_import(database, ImportKind.achievement, path)
    assert report.counts() == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 0}
    stored = _achievements(database)["A1"]
    assert stored.title == "高导热石墨烯复合散热膜制备技术A1"
    assert stored.keywords == ["石墨烯", "散热膜", "导热", "热管理"]
    assert (stored.industry, stored.subfield, stored.trl) == ("materials", "石墨烯", 6)
    assert (stored.city, stored.district) == ("hangzhou", "余杭区")
    assert stored.coop_modes == ["转让", "许可"] and stored.price_wan == 300
    assert stored.contact_mobile == "13812345678"
    assert stored.source == "成果.csv"
    assert stored.organization is not None and stored.organization.name == "浙江示例大学"


def test_reimport_changes_nothing(database: Database, tmp_path: Path) -> None:
    rows = [achievement("A1"), achievement(""), achievement("A3", **{"参考价格(万元)": ""})]
    path = write_xlsx(tmp_path / "成果.xlsx", rows_grid(rows))
    first = run_import(database, ImportKind.achievement, path)
    assert first.created == 3
    before = dump(database)

    second = run_import(database, ImportKind.achievement, path)

    assert second.counts() == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    assert dump(database) == before  # updated_at included


def test_a_changed_row_updates_and_a_blanked_cell_clears(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "成果.csv"
    write_csv(path, [achievement("A1"), achievement("A2")])
    run_import(database, ImportKind.achievement, path)
    untouched = _achievements(database)["A2"].updated_at

    changed = achievement("A1", 手机号="", 关键词="新关键词")
    changed["参考价格(万元)"] = "面议"
    changed["所在城市*"] = "合肥"
    write_csv(path, [changed, achievement("A2")])
    report = run_import(database, ImportKind.achievement, path)

    assert report.counts() == {"created": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    stored = _achievements(database)
    a1 = stored["A1"]
    assert a1.contact_mobile is None and a1.keywords == ["新关键词"]
    assert (a1.price_wan, a1.price_negotiable) == (None, True)
    assert (a1.city, a1.district) == ("hefei", None)  # the old district went with the old city
    assert stored["A2"].updated_at == untouched


def test_skip_invalid_loads_the_rest_and_keeps_the_rejects(
    database: Database, tmp_path: Path
) -> None:
    rows = [
        achievement("A1"),
        achievement("A2", 手机号="1234"),
        achievement("A3", **{"所在城市*": "北京"}),
        achievement("A1"),
        achievement("A5"),
    ]
    path = write_csv(tmp_path / "成果.csv", rows)
    report = run_import(database, ImportKind.achievement, path, skip_invalid=True)

    assert report.counts() == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 3}
    assert set(_achievements(database)) == {"A1", "A5"}
    assert [r.number for r in report.rejected_rows] == [3, 4, 5]
    assert report.rejected_rows[0].cells[0] == "A2"
    assert [e.column for e in report.errors] == ["手机号", "所在城市", "编号"]


def test_json_array_and_english_headers(database: Database, tmp_path: Path) -> None:
    english = dict(zip(ACHIEVEMENT_HEADERS, achievement("J1").values(), strict=True))
    renamed = {
        "Code": english["编号"],
        "Title": english["成果名称*"],
        "Abstract": english["成果简介*"],
        "Keywords": ["石墨烯", "散热"],
        "Industry": "新材料",
        "Organization": "示例研究院",
        "City": "松江",
        "Mobile": 13812345678,
    }
    path = write_json(tmp_path / "成果.json", [renamed])
    report = run_import(database, ImportKind.achievement, path)
    assert report.created == 1
    stored = _achievements(database)["J1"]
    assert stored.keywords == ["石墨烯", "散热"] and stored.city == "songjiang"
    assert stored.contact_mobile == "13812345678"


def test_organisations_match_by_name_and_keep_their_code(
    database: Database, make_org: MakeOrganization, tmp_path: Path
) -> None:
    make_org("上海示例新材料有限公司")
    rows = [
        organization(统一社会信用代码=VALID_CREDIT_CODE),
        organization("义乌示例小商品科技有限公司", 所在城市="义乌"),
    ]
    path = write_csv(tmp_path / "机构.csv", rows)
    report = run_import(database, ImportKind.organization, path)
    assert (report.created, report.updated) == (1, 1)
    orgs = _organizations(database)
    assert orgs["上海示例新材料有限公司"].code == "ORG-T0001"
    assert orgs["上海示例新材料有限公司"].credit_code == VALID_CREDIT_CODE
    assert (
        orgs["义乌示例小商品科技有限公司"].city,
        orgs["义乌示例小商品科技有限公司"].district,
    ) == (
        "jinhua",
        "义乌市",
    )
    assert run_import(database, ImportKind.organization, path).unchanged == 2


def test_a_credit_code_held_by_another_organisation_is_a_row_error(
    database: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "机构.csv", [organization("甲公司", 统一社会信用代码=VALID_CREDIT_CODE)]
    )
    run_import(database, ImportKind.organization, path)
    renamed = write_csv(
        tmp_path / "改名.csv",
        [organization("乙公司"), organization("甲公司新名", 统一社会信用代码=VALID_CREDIT_CODE)],
    )
    report = run_import(database, ImportKind.organization, renamed)
    assert report.counts()["created"] == 1 and report.counts()["updated"] == 1
    assert set(_organizations(database)) == {"乙公司", "甲公司新名"}  # matched by credit code

    clash = write_csv(
        tmp_path / "冲突.csv", [organization("乙公司", 统一社会信用代码=VALID_CREDIT_CODE)]
    )
    with pytest.raises(ImportRejected) as caught:
        run_import(database, ImportKind.organization, clash)
    [error] = caught.value.report.errors
    assert error.row == 2 and "已存在" in error.reason


def test_a_scoped_operator_imports_only_in_scope(database: Database, tmp_path: Path) -> None:
    operator = Viewer(user_id=7, role=Role.operator, city_scope=("hefei",))
    rows = [achievement("H1", **{"所在城市*": "合肥"}), achievement("S1", **{"所在城市*": "松江"})]
    path = write_csv(tmp_path / "成果.csv", rows)
    report = run_import(database, ImportKind.achievement, path, viewer=operator, skip_invalid=True)
    assert report.created == 1 and set(_achievements(database)) == {"H1"}
    [error] = report.errors
    assert (error.row, error.column, error.reason) == (3, "所在城市", "该城市不在您的运营范围内")
    assert error.value == "松江"  # what was typed, so the operator sees which city


def test_a_file_without_a_kind_is_imported_as_its_headers_tell(
    database: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "清单.csv", [organization()])
    table = read_table(path.name, path.read_bytes())
    with database.unit_of_work() as session:
        report = ImportService(session, ADMIN).run(None, table)
    assert (report.kind, report.kind_detected, report.created) == ("organization", True, 1)
    assert report.to_dict()["kind_detected"] is True


def test_a_file_of_another_kind_is_named(database: Database, tmp_path: Path) -> None:
    demand = {
        "需求名称*": "电池包轻量化散热方案",
        "需求描述*": "现有铝制液冷板重量偏大,需减重20%以上。",
        "所属行业*": "新能源汽车",
        "需求单位*": "嘉兴示例新能源有限公司",
        "所在城市*": "嘉兴",
    }
    path = write_csv(tmp_path / "需求.csv", [demand])
    table = read_table(path.name, path.read_bytes())
    with database.unit_of_work() as session, pytest.raises(InvalidInput) as caught:
        ImportService(session, ADMIN).run(ImportKind.organization, table)
    reason = caught.value.errors[0]["reason"]
    assert reason.startswith("这个文件看起来是“技术需求”文件")
    assert "缺少必填列:机构名称*、机构类型*" in reason
    assert "looks like a demand file" in caught.value.errors[0]["reason_en"]
    with database.unit_of_work() as session:
        report = ImportService(session, ADMIN).run(None, table, dry_run=True)
    assert (report.kind, report.created) == ("demand", 1)


def test_headers_that_fit_no_kind_name_the_closest(database: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "半张.csv", [{"需求名称": "散热方案", "所在城市": "嘉兴"}])
    table = read_table(path.name, path.read_bytes())
    with database.unit_of_work() as session, pytest.raises(InvalidInput) as caught:
        ImportService(session, ADMIN).run(None, table)
    assert caught.value.errors[0]["reason"] == (
        "无法从表头判断导入类型:最接近“技术需求”,但缺少必填列:需求描述*、所属行业*、需求单位*"
    )


def test_a_dry_run_with_errors_is_a_check_not_a_failure(database: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "成果.csv", [achievement("A1", 手机号="12345")])
    table = read_table(path.name, path.read_bytes())
    with database.unit_of_work() as session, pytest.raises(ImportRejected) as caught:
        ImportService(session, ADMIN).run(ImportKind.achievement, table, dry_run=True)
    assert caught.value.message.startswith("检查未通过(试运行):“成果.csv”中有1行数据有误")
    assert "导入失败" not in caught.value.message


def test_an_out_of_scope_record_answers_alike_equal_or_not(
    database: Database, tmp_path: Path
) -> None:
    """No equality oracle: a row equal to a record outside the operator's cities is refused
    exactly as a different row is, dry run or not (it used to answer "unchanged")."""
    stored = [achievement("S1", **{"所在城市*": "松江"})]
    run_import(database, ImportKind.achievement, write_csv(tmp_path / "s.csv", stored))
    operator = Viewer(user_id=7, role=Role.operator, city_scope=("hefei",))
    reasons = []
    for name, rows in (
        ("equal", stored),
        ("other", [achievement("S1", **{"所在城市*": "松江", "成果简介*": "另一段简介"})]),
    ):
        path = write_csv(tmp_path / f"{name}.csv", rows)
        table = read_table(path.name, path.read_bytes())
        with database.unit_of_work() as session, pytest.raises(ImportRejected) as caught:
            ImportService(session, operator).run(ImportKind.achievement, table, dry_run=True)
        [error] = caught.value.report.errors
        assert caught.value.report.unchanged == 0
        reasons.append((error.column, error.reason))
    assert reasons[0] == reasons[1] == ("所在城市", "该城市不在您的运营范围内")


def test_members_may_not_import(database: Database, tmp_path: Path) -> None:
    member = Viewer(user_id=8, role=Role.member, organization_id=1)
    path = write_csv(tmp_path / "成果.csv", [achievement()])
    with pytest.raises(PermissionDenied):
        run_import(database, ImportKind.achievement, path, viewer=member)


@pytest.mark.usefixtures("existing")
def test_a_bad_credit_code_rejects_an_organisation_workbook(
    database: Database, tmp_path: Path
) -> None:
    bad = VALID_CREDIT_CODE[:-1] + "C"
    rows = [
        organization("松江示例装备有限公司", 所在城市="松江", 统一社会信用代码=VALID_CREDIT_CODE),
        organization("嘉兴示例材料有限公司", 所在城市="嘉兴", 统一社会信用代码=bad),
        organization("北京示例有限公司", 所在城市="北京市海淀区"),
    ]
    path = write_xlsx(tmp_path / "机构.xlsx", rows_grid(rows))
    before = dump(database)

    with pytest.raises(ImportRejected) as caught:
        run_import(database, ImportKind.organization, path)

    assert dump(database) == before
    errors = caught.value.report.errors
    assert [(e.row, e.column, e.value) for e in errors] == [
        (3, "统一社会信用代码", bad),
        (4, "所在城市", "北京市海淀区"),
    ]
    assert "校验位错误" in errors[0].reason and "check digit" in errors[0].reason_en


@pytest.mark.usefixtures("existing")
def test_a_dry_run_reports_what_it_would_do_and_leaves_the_callers_work_alone(
    database: Database, tmp_path: Path
) -> None:
    rows = [
        achievement("OLD-1", **{"参考价格(万元)": "999"}),
        achievement("OLD-2"),
        achievement("NEW-1", **{"所属机构*": "全新机构有限公司"}),
        achievement("NEW-2", 手机号="12345"),
    ]
    path = write_csv(tmp_path / "成果.csv", rows)
    table = read_table(path.name, path.read_bytes())
    before = dump(database)

    with database.unit_of_work() as session:
        # Work of the same unit of work, before the dry run: it must survive it.
        kept = Organization(
            code="ORG-KEPT", name="同一事务中的机构", kind=OrganizationKind.enterprise, city="hefei"
        )
        session.add(kept)
        report = ImportService(session, ADMIN).run(
            ImportKind.achievement, table, skip_invalid=True, dry_run=True
        )

    assert report.dry_run
    assert report.counts() == {"created": 1, "updated": 1, "unchanged": 1, "rejected": 1}
    after = dump(database)
    assert set(_organizations(database)) == {"浙江示例大学", "同一事务中的机构"}
    assert len(after["organizations"]) == len(before["organizations"]) + 1
    assert set(before["organizations"]) < set(after["organizations"])
    # The change log of matching records the kept organisation, and nothing of the dry run.
    logged = [row[1:3] for row in after["match_changes"][len(before["match_changes"]) :]]
    assert logged == [("organization", kept.id)]
    unchanged = {**after, "organizations": before["organizations"]}
    unchanged["match_changes"] = before["match_changes"]
    assert unchanged == before


@pytest.mark.usefixtures("existing")
def test_a_failed_dry_run_raises_and_writes_nothing(database: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "成果.csv", [achievement("NEW-1"), achievement("NEW-2", 手机号="1")]
    )
    table = read_table(path.name, path.read_bytes())
    before = dump(database)
    with pytest.raises(ImportRejected) as caught, database.unit_of_work() as session:
        ImportService(session, ADMIN).run(ImportKind.achievement, table, dry_run=True)
    assert caught.value.report.dry_run and caught.value.report.failed
    assert dump(database) == before


def test_a_report_keeps_the_first_errors_and_counts_the_rest(
    database: Database, tmp_path: Path
) -> None:
    rows = [achievement(f"A{i}", 手机号="12345") for i in range(7)] + [achievement("OK")]
    path = write_csv(tmp_path / "成果.csv", rows)
    table = read_table(path.name, path.read_bytes())
    before = dump(database)
    with pytest.raises(ImportRejected) as caught, database.unit_of_work() as session:
        ImportService(session, ADMIN, ImportLimits(max_errors=3)).run(ImportKind.achievement, table)
    report = caught.value.report
    assert (report.rejected, len(report.errors), report.errors_omitted) == (7, 3, 4)
    assert [e.row for e in report.errors] == [2, 3, 4]
    assert [r.number for r in report.rejected_rows] == [2, 3, 4]
    assert report.to_dict()["errors_omitted"] == 4 and report.to_dict()["rejected"] == 7
    assert "仅列出前3条错误,另有4条未列出" in caught.value.message
    notice = report.omitted()
    assert notice is not None and "另有4条错误未列出" in notice.reason
    assert dump(database) == before


@pytest.mark.usefixtures("existing")
def test_rows_stream_in_batches_and_a_late_bad_row_still_writes_nothing(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches are flushed as they go; a bad row in the last one rolls back the earlier ones."""
    monkeypatch.setattr(service_module, "BATCH", 2)
    rows = [
        achievement("NEW-1", **{"所属机构*": "全新机构有限公司"}),
        achievement("OLD-1", **{"参考价格(万元)": "999"}),
        achievement("NEW-2", **{"所属机构*": "全新机构有限公司"}),  # the organisation of row 2
        achievement("OLD-2"),
        achievement("NEW-1"),  # a repeat of row 2, three batches later
    ]
    path = write_csv(tmp_path / "成果.csv", rows)
    before = dump(database)

    with pytest.raises(ImportRejected) as caught:
        run_import(database, ImportKind.achievement, path)

    [error] = caught.value.report.errors
    assert (error.row, error.reason) == (6, "与第2行重复(编号相同)")
    assert dump(database) == before
    report = run_import(database, ImportKind.achievement, path, skip_invalid=True)
    assert report.counts() == {"created": 2, "updated": 1, "unchanged": 1, "rejected": 1}
    assert len(_organizations(database)) == 2

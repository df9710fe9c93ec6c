"""The index service: which pipeline is in use (upload, setting, sample), an operator's data
file checked before it is used, and units named by their own code."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.composite.files import PACKAGE_DATA
from factorlink.composite.report import csv_bytes
from factorlink.composite.service import (
    DEFAULT_PIPELINE,
    IndexService,
    active_pipeline,
    active_upload,
    install_data,
    remove_data,
    uploads_dir,
)
from factorlink.config import Settings
from factorlink.db.session import Database
from factorlink.errors import InvalidInput, NotFound, PermissionDenied
from tests.composite.conftest import ASEM_PIPELINE

OPERATOR = Viewer(user_id=5, role=Role.operator)  # of every city
SAMPLE = (PACKAGE_DATA / "corridor_sample.csv").read_bytes()


def test_the_sample_unless_a_setting_or_an_upload_says_otherwise(
    settings: Settings, tmp_path: Path
) -> None:
    assert active_pipeline(settings) == DEFAULT_PIPELINE
    other = tmp_path / "pipeline.yaml"
    configured = settings.model_copy(update={"index_pipeline": other})
    assert active_pipeline(configured) == other
    loaded = install_data(configured, OPERATOR, "走廊数据.csv", SAMPLE)
    assert loaded.sample is False and len(loaded.panel.units) == 9
    upload = active_upload(configured)
    assert upload is not None and upload.file == "走廊数据.csv" and upload.by_user_id == 5
    assert active_pipeline(configured) == upload.pipeline
    remove_data(configured, OPERATOR)
    assert active_pipeline(configured) == other
    assert [p for p in uploads_dir(settings).iterdir() if p.is_dir()] == []


def test_a_new_upload_replaces_the_last(settings: Settings) -> None:
    install_data(settings, OPERATOR, "一.csv", SAMPLE)
    first = active_upload(settings)
    install_data(settings, OPERATOR, "二.csv", SAMPLE)
    second = active_upload(settings)
    assert first and second and second.file == "二.csv"
    assert not first.pipeline.exists()


def test_a_bad_file_leaves_the_index_as_it_was(settings: Settings) -> None:
    install_data(settings, OPERATOR, "好.csv", SAMPLE)
    before = active_pipeline(settings)
    broken = SAMPLE.decode("utf-8").replace("上海松江,2019", "北京,2019", 1).encode("utf-8")
    with pytest.raises(InvalidInput) as caught:
        install_data(settings, OPERATOR, "坏.csv", broken)
    # Where and what, as the data reader says it: the row, the column, the value.
    assert caught.value.message == "“坏.csv”:第2行,“城市”列:未知单位(城市)“北京”"
    assert caught.value.message_en == "坏.csv: row 2, column 城市: unknown unit '北京'"
    assert active_pipeline(settings) == before
    assert len([p for p in uploads_dir(settings).iterdir() if p.is_dir()]) == 1
    with pytest.raises(InvalidInput, match=r"文件格式应为\.xlsx或\.csv"):
        install_data(settings, OPERATOR, "数据.txt", SAMPLE)


@pytest.mark.parametrize(
    "viewer",
    [
        Viewer(user_id=9, role=Role.member, organization_id=1),
        Viewer(user_id=6, role=Role.operator, city_scope=("songjiang",)),
    ],
    ids=["member", "operator-of-one-city"],
)
def test_only_admins_and_operators_of_every_city_change_the_data(
    settings: Settings, viewer: Viewer
) -> None:
    with pytest.raises(PermissionDenied):
        install_data(settings, viewer, "走廊数据.csv", SAMPLE)
    with pytest.raises(PermissionDenied):
        remove_data(settings, viewer)
    admin = Viewer(user_id=1, role=Role.admin, city_scope=("songjiang",))
    assert install_data(settings, admin, "走廊数据.csv", SAMPLE).sample is False


def test_a_unit_by_its_own_code(database: Database, shared_data: Path) -> None:
    with database.unit_of_work() as session:
        service = IndexService(session, OPERATOR, ASEM_PIPELINE)
        assert service.profile("CHE").name == "Switzerland"
        with pytest.raises(NotFound):
            service.profile("songjiang")


def test_downloads_are_built_once_per_file_version(database: Database) -> None:
    with database.unit_of_work() as session:
        service = IndexService(session, OPERATOR, DEFAULT_PIPELINE)
        _, result = service.computed()
        assert service.download("scores.csv") == csv_bytes(result, "scores")
        assert service.download("index.xlsx") is service.download("index.xlsx")

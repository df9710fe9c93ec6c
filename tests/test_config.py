"""Settings: defaults, database URLs, and the scope that makes them the current ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorlink.config import Settings, current_settings, get_settings, settings_scope


def test_default_is_sqlite_under_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.effective_database_url == f"sqlite:///{tmp_path.resolve() / 'factorlink.db'}"


@pytest.mark.parametrize("url", ["postgresql://u:p@h/db", "postgres://u:p@h/db"])
def test_plain_postgres_urls_use_psycopg(url: str) -> None:
    assert Settings(database_url=url).effective_database_url == "postgresql+psycopg://u:p@h/db"


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FACTORLINK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("FACTORLINK_DATABASE_URL", "")
    assert Settings().data_dir == tmp_path
    assert Settings().database_url is None


def test_a_scope_makes_its_settings_current_and_gives_them_back(tmp_path: Path) -> None:
    outer, inner = Settings(data_dir=tmp_path / "outer"), Settings(data_dir=tmp_path / "inner")
    assert current_settings() is get_settings()  # outside any scope: the process's
    with settings_scope(outer):
        assert current_settings() is outer
        with settings_scope(inner):
            assert current_settings() is inner
        assert current_settings() is outer
    assert current_settings() is get_settings()

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def practica(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "PRACTICA_ENV",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env={**base, **env},
        check=False,
        cwd=ROOT,
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    done = practica(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PRACTICA_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="practica.example.org",
        PRACTICA_DATA_DIR=str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    done = practica(
        "check",
        PRACTICA_ENV="production",
        ALLOWED_HOSTS="practica.example.org",
        PRACTICA_DATA_DIR=str(tmp_path),
    )
    assert done.returncode != 0
    assert "SECRET_KEY is required" in done.stderr


def test_embedded_mode_generates_and_keeps_a_secret_key(tmp_path):
    first = practica("check", PRACTICA_DATA_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    practica("check", PRACTICA_DATA_DIR=str(tmp_path))
    assert (tmp_path / "secret_key").read_text() == key


@pytest.mark.django_db
def test_sqlite_runs_in_wal_with_immediate_transactions(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == (
        "IMMEDIATE"
    )
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def test_a_bad_search_threads_value_names_the_variable_and_the_fix(tmp_path):
    done = practica(
        "check", SEARCH_THREADS="two", PRACTICA_DATA_DIR=str(tmp_path)
    )
    assert done.returncode != 0
    assert (
        "SEARCH_THREADS='two': give a whole number of 0 or more" in done.stderr
    )
    assert (
        practica(
            "check", SEARCH_THREADS="0", PRACTICA_DATA_DIR=str(tmp_path)
        ).returncode
        == 0
    )

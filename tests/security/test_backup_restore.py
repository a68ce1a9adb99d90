"""Backup and restore, as docs/operations.md describes them: a dump of a
populated database, loaded into an empty one, gives back every row."""

import datetime
import os
import shutil
import subprocess
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from lessons.models import Response
from tests import factories

from .world import build_world

pytestmark = pytest.mark.django_db(transaction=True)

# What the portable dump leaves out, and why (docs/operations.md says the same):
# content types and permissions are rebuilt by `migrate` in the new database;
# sessions and sign-in records are short-lived security data, not worth restoring.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]
EXCLUDED_APPS = {"contenttypes", "sessions", "axes"}
EXCLUDED_MODELS = {"auth.Permission"}


def restored_models():
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in EXCLUDED_APPS or model._meta.label in EXCLUDED_MODELS:
            continue
        yield model


def to_milliseconds(value):
    # Django's JSON serialiser writes times to the millisecond (ECMA-262).
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def snapshot() -> dict[str, list[dict]]:
    """Every row of every restored model, with its foreign keys by natural
    key where the target's primary key may change (content types, permissions)."""
    rows = {}
    for model in restored_models():
        values = []
        for row in model.objects.order_by("pk").values():
            row = {key: to_milliseconds(value) for key, value in row.items()}
            if model._meta.label == "admin.LogEntry":
                row["content_type_id"] = model.objects.get(pk=row["id"]).content_type.natural_key()
            if model._meta.auto_created:  # many-to-many rows are dumped as lists, without their own id
                row.pop("id")
            if model._meta.label in {"auth.Group_permissions", "accounts.User_user_permissions"}:
                row["permission_id"] = apps.get_model("auth.Permission").objects.get(pk=row["permission_id"]).natural_key()
            values.append(row)
        if model._meta.auto_created:
            values.sort(key=repr)
        rows[model._meta.label] = values
    return rows


def test_every_model_has_rows_in_the_world_used_for_backup_tests():
    build_world()
    empty = [m._meta.label for m in restored_models() if not m.objects.exists()]
    assert not empty, f"add rows for these models to tests/security/world.py: {empty}"


def test_dumpdata_then_loaddata_into_an_empty_database_restores_every_row(tmp_path):
    build_world(mark="<b>&amp;é한국</b>")
    before = snapshot()
    dump = tmp_path / "backup.json"

    call_command(
        "dumpdata", "--natural-foreign", "--indent", "2", *[f"--exclude={e}" for e in EXCLUDED],
        output=str(dump), stdout=StringIO(),
    )
    call_command("flush", "--noinput", stdout=StringIO())
    assert not User.objects.exists() and not Response.objects.exists()
    call_command("loaddata", str(dump), stdout=StringIO())

    after = snapshot()
    for label, rows in before.items():
        assert after[label] == rows, f"{label} differs after restore"
    # The restored database takes new rows without clashing keys (sequences reset).
    factories.ResponseFactory()
    factories.StudentFactory()


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_pg_dump_and_pg_restore_give_back_every_row(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore is the PostgreSQL path; SQLite uses dumpdata/loaddata")
    build_world()
    counts = {m._meta.db_table: m.objects.count() for m in apps.get_models(include_auto_created=True)}
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    conn_args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db["USER"]]
    dump = tmp_path / "backup.dump"
    restore_db = f"{db['NAME']}_restore"

    subprocess.run(
        ["pg_dump", *conn_args, "--format=custom", "--no-owner", "--file", str(dump), db["NAME"]],
        check=True, env=env, capture_output=True,
    )
    subprocess.run(["dropdb", *conn_args, "--if-exists", restore_db], check=True, env=env, capture_output=True)
    subprocess.run(["createdb", *conn_args, restore_db], check=True, env=env, capture_output=True)
    try:
        subprocess.run(
            ["pg_restore", *conn_args, "--no-owner", "--exit-on-error", "--dbname", restore_db, str(dump)],
            check=True, env=env, capture_output=True,
        )
        import psycopg

        with psycopg.connect(
            host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432, user=db["USER"],
            password=db.get("PASSWORD") or None, dbname=restore_db,
        ) as restored:
            for table, count in counts.items():
                got = restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                assert got == count, f"{table}: {count} rows dumped, {got} restored"
    finally:
        subprocess.run(["dropdb", *conn_args, "--if-exists", restore_db], env=env, capture_output=True)

"""Shared set-up for benchmarks: Django configured, and a throw-away database created and destroyed.

The benchmark never touches the user's own database: it creates the test database Django would create for the
test suite (``test_<name>``), migrates it, and drops it at the end.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")


@contextmanager
def scratch_database() -> Iterator[str]:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    # A name of its own, so a benchmark never collides with a test run's database.
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(Path(old_name).with_name("bench.sqlite3"))
    else:
        connection.settings_dict["TEST"]["NAME"] = f"bench_{old_name}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield f"{connection.vendor} ({connection.settings_dict['NAME']})"
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


@contextmanager
def kept_database(name: str) -> Iterator[tuple[str, bool]]:
    """A benchmark database that outlives the run (large data sets take minutes to generate): ``bench_<name>`` on
    PostgreSQL, ``var/bench_<name>.sqlite3`` on SQLite. Created and migrated when missing; yields (description,
    created). Drop it by hand when done (``dropdb bench_<name>`` or delete the file)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    created = False
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"]).with_name(f"bench_{name}.sqlite3")
        created = not path.exists()
        connection.close()
        connection.settings_dict["NAME"] = str(path)
    else:
        target = f"bench_{name}"
        with connection._nodb_cursor() as cursor:  # the maintenance database: the named one may not exist
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE template0 LC_COLLATE "C.UTF-8" LC_CTYPE "C.UTF-8"')
                created = True
        connection.close()
        connection.settings_dict["NAME"] = target
    call_command("migrate", verbosity=0, interactive=False)
    yield f"{connection.vendor} ({connection.settings_dict['NAME']})", created

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

"""Tests outside the package (``tests/``) get the same fixtures as the apps' own tests (``src/fazhi/conftest.py``):
the real Shanxi divisions, the small world of agencies and users, a fresh cache, fast password hashing, media in a
temporary folder. Re-exported rather than listed in ``pytest_plugins``, which pytest allows only in the root
conftest, and which would register ``fazhi.conftest`` a second time when both folders are collected."""

from fazhi.conftest import *  # noqa: F403
from fazhi.conftest import _fast_password_hashing, _fresh_cache, _media_in_tmp  # noqa: F401

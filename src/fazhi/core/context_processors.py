from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fazhi import __version__


def site(request: HttpRequest) -> dict[str, Any]:
    return {"site_name": "法治政府建设信息平台", "site_short_name": "fazhi", "fazhi_version": __version__}

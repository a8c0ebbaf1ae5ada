from __future__ import annotations

import datetime as dt

from django import template

from fazhi.discretion.models import DiscretionBenchmark

register = template.Library()


@register.filter
def state_on(benchmark: DiscretionBenchmark, on: dt.date) -> str:
    """What a version is on a day: 现行有效, 尚未施行, 已被新版本替代, 已废止 …"""
    return benchmark.state_on(on)

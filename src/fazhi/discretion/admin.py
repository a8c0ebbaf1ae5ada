"""Benchmarks in the back office, read-only: every change goes through the services (pages, API, command)."""

from __future__ import annotations

from django.contrib import admin

from fazhi.core.admin import ReadOnlyAdmin

from .models import BenchmarkItem, BenchmarkRule, DiscretionBenchmark


@admin.register(DiscretionBenchmark)
class DiscretionBenchmarkAdmin(ReadOnlyAdmin):
    list_display = ("title", "doc_number", "agency", "version", "status", "effective_from", "valid_to")
    list_filter = ("status", "domain")
    search_fields = ("title", "doc_number", "doc_key")


@admin.register(BenchmarkItem)
class BenchmarkItemAdmin(ReadOnlyAdmin):
    list_display = ("code", "violation", "benchmark")
    search_fields = ("code", "violation")


@admin.register(BenchmarkRule)
class BenchmarkRuleAdmin(ReadOnlyAdmin):
    list_display = ("item", "position", "grade", "fine_kind", "fine_min", "fine_max")

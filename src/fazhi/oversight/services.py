"""The one write path of the oversight module: campaigns (create, sample, advance), scoring (confirm or dismiss the
proposed deductions, add others, submit), corrections (the agency reports, the reviewer accepts), scoring templates
(a new version; sections and items editable until a campaign uses them) and the annual statistics (compute, publish).

Every function is ``<verb>_<noun>``, keyword-only, ``actor`` first (``None`` = the system), one durable transaction,
a scope check (``org.scope.require``) and an audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import secrets
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from fazhi.audit.chain import normalise
from fazhi.audit.services import record_event, snapshot
from fazhi.cases.choices import CaseStatus
from fazhi.cases.models import EnforcementCase
from fazhi.core.errors import Conflict, ErrorList, FieldError, ValidationFailed
from fazhi.core.permissions import CASE_HANDLE, CASE_VIEW, CASEFILE_REVIEW, ENFORCEMENT_STATS
from fazhi.org import scope
from fazhi.org.models import Agency, Division

from . import facts as case_file_facts
from . import lifecycle, scoring
from . import statistics as stats
from .choices import CampaignAction, CampaignState, DeductionSource, DeductionState, FileState
from .models import (
    Campaign,
    CaseFileReview,
    Deduction,
    RatingBand,
    ReviewTemplate,
    StatisticsSnapshot,
    TemplateItem,
    TemplateSection,
)

CLOSED_STATES = (CaseStatus.CLOSED, CaseStatus.ARCHIVED)


def _text(value: Any) -> str:
    return str(value or "").strip()


def _name(actor: Any) -> str:
    if actor is None:
        return "系统"
    staff = getattr(actor, "staff", None)
    return getattr(staff, "name", "") or actor.get_username()


# --- templates -----------------------------------------------------------------------------------------------------


def _template_in_use(template: ReviewTemplate) -> bool:
    return Campaign.objects.filter(template=template).exists()


def _require_template_editor(actor: Any) -> None:
    scope.require_root(actor, CASEFILE_REVIEW, "评查标准全省通用，只有省级评查人员可以修改")


def create_template_version(*, actor: Any, template: ReviewTemplate, note: str = "") -> ReviewTemplate:
    """A new version of ``template`` (sections, items and rating bands copied), to edit before campaigns use it."""
    with transaction.atomic(durable=True):
        _require_template_editor(actor)
        last = ReviewTemplate.objects.filter(name=template.name).order_by("-version").first()
        new = ReviewTemplate.objects.create(
            name=template.name,
            version=(last.version if last else template.version) + 1,
            total=template.total,
            note=_text(note) or template.note,
        )
        for section in template.sections.all():
            copy = TemplateSection.objects.create(
                template=new, order=section.order, title=section.title, points=section.points
            )
            for item in section.items.all():
                TemplateItem.objects.create(
                    section=copy,
                    order=item.order,
                    text=item.text,
                    points=item.points,
                    deduction=item.deduction,
                    veto=item.veto,
                    auto_check=item.auto_check,
                )
        for band in template.bands.all():
            RatingBand.objects.create(template=new, rating=band.rating, min_score=band.min_score)
        record_event(
            actor=actor,
            action="oversight.template.version",
            target=("oversight.reviewtemplate", str(new.pk), str(new)),
            after={"from": template.pk, "version": new.version},
        )
    return new


def _check_editable(template: ReviewTemplate) -> None:
    if _template_in_use(template):
        raise Conflict("该评查标准已被评查活动使用，不能修改；请新建版本后修改")


def edit_section(*, actor: Any, section: TemplateSection, title: str, points: int) -> TemplateSection:
    """Change a section's title and points; the template's total becomes the sum of its sections."""
    with transaction.atomic(durable=True):
        _require_template_editor(actor)
        section = TemplateSection.objects.select_for_update().get(pk=section.pk)
        _check_editable(section.template)
        errors = ErrorList()
        if not _text(title):
            errors.add("title", "required", "请填写部分名称")
        if points <= 0 or points > 100:
            errors.add("points", "out_of_range", "分值应为 1–100")
        errors.raise_if_any()
        before = {"title": section.title, "points": section.points}
        section.title, section.points = _text(title), points
        section.save()
        template = section.template
        template.total = sum(s.points for s in template.sections.all())
        template.save(update_fields=["total"])
        record_event(
            actor=actor,
            action="oversight.template.section",
            target=("oversight.templatesection", str(section.pk), str(section)),
            before=before,
            after={"title": section.title, "points": section.points, "total": template.total},
        )
    return section


def edit_item(
    *,
    actor: Any,
    item: TemplateItem,
    text: str,
    points: Decimal,
    deduction: Decimal,
    veto: bool,
    auto_check: str = "",
) -> TemplateItem:
    with transaction.atomic(durable=True):
        _require_template_editor(actor)
        item = TemplateItem.objects.select_for_update(of=("self",)).select_related("section__template").get(pk=item.pk)
        _check_editable(item.section.template)
        errors = ErrorList()
        if not _text(text):
            errors.add("text", "required", "请填写评查内容")
        if points < 0 or deduction < 0 or points > item.section.points:
            errors.add("points", "out_of_range", f"扣分应为 0 至 {item.section.points} 分")
        from .choices import AutoCheck

        if auto_check and auto_check not in AutoCheck.values:
            errors.add("auto_check", "invalid_choice", "没有这一自动检查")
        errors.raise_if_any()
        before = {"text": item.text, "points": item.points, "deduction": item.deduction, "veto": item.veto}
        item.text, item.points, item.deduction, item.veto, item.auto_check = (
            _text(text),
            points,
            deduction,
            veto,
            auto_check,
        )
        item.save()
        record_event(
            actor=actor,
            action="oversight.template.item",
            target=("oversight.templateitem", str(item.pk), item.text[:100]),
            before=before,
            after={"text": item.text, "points": item.points, "deduction": item.deduction, "veto": item.veto},
        )
    return item


# --- campaigns -----------------------------------------------------------------------------------------------------


def create_campaign(
    *,
    actor: Any,
    name: str,
    year: int,
    organiser: Agency,
    division: Division,
    template: ReviewTemplate,
    closed_from: dt.date,
    closed_to: dt.date,
    per_agency: int | None = None,
    percent: int | None = None,
    seed: str = "",
) -> Campaign:
    """准备: a campaign of ``organiser`` (a justice bureau) over ``division`` and below, with its sample rule."""
    with transaction.atomic(durable=True):
        organiser = Agency.objects.select_related("division").get(pk=organiser.pk)
        campaign = Campaign(
            name=_text(name),
            year=year,
            organiser=organiser,
            division=division,
            template=template,
            per_agency=per_agency or None,
            percent=percent or None,
            closed_from=closed_from,
            closed_to=closed_to,
            seed=_text(seed) or secrets.token_hex(8),
            created_by_name=_name(actor),
        )
        scope.require(actor, CASEFILE_REVIEW, campaign)
        errors = ErrorList()
        if not campaign.name:
            errors.add("name", "required", "请填写活动名称")
        if not (2000 <= year <= 2100):
            errors.add("year", "out_of_range", "年度应为 2000–2100")
        if not division.path.startswith(organiser.division.path):
            errors.add(
                "division", "out_of_scope", f"评查范围应在{organiser.name}所在行政区划（{organiser.division.name}）内"
            )
        if bool(per_agency) == bool(percent):
            errors.add("per_agency", "rule", "请填写每个机关抽取件数或抽取比例（二选一）")
        if percent is not None and percent and not (1 <= percent <= 100):
            errors.add("percent", "out_of_range", "抽取比例应为 1–100")
        if per_agency is not None and per_agency and not (1 <= per_agency <= 1000):
            errors.add("per_agency", "out_of_range", "每个机关抽取件数应为 1–1000")
        if closed_to < closed_from:
            errors.add("closed_to", "date_order", "结束日期不能早于开始日期")
        if not template.sections.exists():
            errors.add("template", "empty", "该评查标准没有评查项目")
        errors.raise_if_any()
        campaign.save()
        record_event(actor=actor, action="oversight.campaign.create", target=campaign, after=snapshot(campaign))
    return campaign


def closed_cases(campaign: Campaign) -> Any:
    """Cases in the campaign's division subtree closed (结案) or archived (归档) within its date range."""
    return (
        EnforcementCase.objects.filter(
            agency__division__path__startswith=campaign.division.path, status__in=CLOSED_STATES
        )
        .annotate(done_on=Coalesce("closed_on", "archived_on"))
        .filter(done_on__gte=campaign.closed_from, done_on__lte=campaign.closed_to)
    )


def sample_size(rule_per_agency: int | None, rule_percent: int | None, available: int) -> int:
    if available <= 0:
        return 0
    wanted = rule_per_agency if rule_per_agency else math.ceil(available * (rule_percent or 0) / 100)
    return min(available, max(1, wanted))


def draw(seed: str, agency_id: int, case_ids: list[int], n: int) -> list[int]:
    """The same files for the same seed, agency and cases, whatever else is sampled."""
    rng = random.Random(f"{seed}:{agency_id}")  # noqa: S311 - sampling, not security
    return sorted(rng.sample(sorted(case_ids), n))


def _add_file(campaign: Campaign, case: EnforcementCase, items_by_check: dict[str, TemplateItem]) -> CaseFileReview:
    found = case_file_facts.case_facts(case)
    defects = case_file_facts.defects(found)
    found["defects"] = [{"code": d.code, "label": d.label, "count": d.count, "evidence": d.evidence} for d in defects]
    review = CaseFileReview.objects.create(
        campaign=campaign, case=case, agency_id=case.agency_id, facts=normalise(found)
    )
    for defect in defects:
        item = items_by_check.get(defect.code)
        if item is None:
            continue  # the template has no item for it: the fact stays on the file for the reviewer to read
        Deduction.objects.create(
            review=review,
            item=item,
            source=DeductionSource.AUTO,
            state=DeductionState.PROPOSED,
            count=defect.count,
            evidence=defect.evidence,
        )
    return review


def sample_campaign(*, actor: Any, campaign: Campaign) -> list[CaseFileReview]:
    """准备 → 抽取: draw the files (per agency, seeded) and flag what each record proves. Running it again returns
    the files already drawn and draws nothing."""
    with transaction.atomic(durable=True):
        campaign = (
            Campaign.objects.select_for_update(of=("self",))
            .select_related("organiser__division", "division")
            .get(pk=campaign.pk)
        )
        scope.require(actor, CASEFILE_REVIEW, campaign)
        if campaign.state != CampaignState.DRAFT:
            return list(campaign.files.select_related("case", "agency"))
        lifecycle.transition(CampaignAction.SAMPLE, campaign.state)
        by_agency: dict[int, list[int]] = defaultdict(list)
        for agency_id, case_id in closed_cases(campaign).values_list("agency_id", "pk"):
            by_agency[agency_id].append(case_id)
        if not by_agency:
            raise ValidationFailed(
                FieldError(
                    "action",
                    "nothing_to_sample",
                    f"{campaign.division.name}在 {campaign.closed_from.isoformat()} 至 "
                    f"{campaign.closed_to.isoformat()} 没有已结案或已归档的案件，无法抽取",
                )
            )
        items_by_check: dict[str, TemplateItem] = {}
        for item in (
            TemplateItem.objects.filter(section__template=campaign.template)
            .exclude(auto_check="")
            .order_by("section__order", "order", "id")
        ):
            items_by_check.setdefault(item.auto_check, item)
        chosen: dict[int, list[int]] = {}
        for agency_id in sorted(by_agency):
            ids = by_agency[agency_id]
            chosen[agency_id] = draw(
                campaign.seed, agency_id, ids, sample_size(campaign.per_agency, campaign.percent, len(ids))
            )
        cases = EnforcementCase.objects.in_bulk([pk for ids in chosen.values() for pk in ids])
        files = [_add_file(campaign, cases[pk], items_by_check) for ids in chosen.values() for pk in ids]
        campaign.state = CampaignState.SAMPLED
        campaign.sampled_at = timezone.now()
        campaign.save(update_fields=["state", "sampled_at", "updated_at"])
        record_event(
            actor=actor,
            action="oversight.campaign.sample",
            target=campaign,
            before={"state": CampaignState.DRAFT},
            after={
                "state": campaign.state,
                "seed": campaign.seed,
                "files": len(files),
                "by_agency": {str(a): {"closed": len(by_agency[a]), "sampled": ids} for a, ids in chosen.items()},
                "flags": sum(len(f.facts.get("defects", [])) for f in files),
            },
        )
    return files


def advance_campaign(*, actor: Any, campaign: Campaign, action: str) -> Campaign:
    """抽取 → 评查 → 反馈整改 → 完成. Results are released (反馈整改) only when every file has been scored."""
    if action == CampaignAction.SAMPLE:
        sample_campaign(actor=actor, campaign=campaign)
        return Campaign.objects.get(pk=campaign.pk)
    with transaction.atomic(durable=True):
        campaign = (
            Campaign.objects.select_for_update(of=("self",)).select_related("organiser__division").get(pk=campaign.pk)
        )
        scope.require(actor, CASEFILE_REVIEW, campaign)
        step = lifecycle.transition(action, campaign.state)
        if action == CampaignAction.RELEASE:
            pending = campaign.files.filter(state=FileState.PENDING).count()
            if pending:
                raise ValidationFailed(
                    FieldError("action", "files_pending", f"还有 {pending} 件案卷未评分，全部评分后才能发布结果")
                )
        before = campaign.state
        campaign.state = step.target
        campaign.save(update_fields=["state", "updated_at"])
        record_event(
            actor=actor,
            action=f"oversight.campaign.{action}",
            target=campaign,
            before={"state": before},
            after={"state": campaign.state},
        )
    return campaign


# --- scoring -------------------------------------------------------------------------------------------------------


def _lock_file(review: CaseFileReview) -> CaseFileReview:
    return (
        CaseFileReview.objects.select_for_update(of=("self",))
        .select_related("campaign", "agency__division", "case")
        .get(pk=review.pk)
    )


def _require_scoring(actor: Any, review: CaseFileReview) -> None:
    scope.require(actor, CASEFILE_REVIEW, review, visible_with=CASE_VIEW)
    if review.campaign.state not in lifecycle.SCORING_STATES:
        raise ValidationFailed(
            FieldError("action", "not_reviewing", f"评查活动处于“{review.campaign.get_state_display()}”阶段，不能评分")
        )
    if review.state != FileState.PENDING:
        raise Conflict("该案卷已提交评分，不能再修改")


def decide_deduction(*, actor: Any, deduction: Deduction, confirm: bool, reason: str = "") -> Deduction:
    """Confirm a proposed deduction, or dismiss it with a reason (e.g. the record was incomplete)."""
    with transaction.atomic(durable=True):
        review = _lock_file(deduction.review)
        _require_scoring(actor, review)
        deduction = Deduction.objects.select_related("item").get(pk=deduction.pk, review=review)
        reason = _text(reason)
        if not confirm and not reason:
            raise ValidationFailed(FieldError("reason", "required", "排除系统发现的问题须填写理由"))
        before = deduction.state
        deduction.state = DeductionState.CONFIRMED if confirm else DeductionState.DISMISSED
        deduction.dismiss_reason = "" if confirm else reason
        deduction.decided_by_name = _name(actor)
        deduction.save()
        record_event(
            actor=actor,
            action="oversight.deduction.confirm" if confirm else "oversight.deduction.dismiss",
            target=review,
            before={"deduction": deduction.pk, "state": before},
            after={"deduction": deduction.pk, "state": deduction.state, "item": deduction.item.text},
            reason=reason,
        )
    return deduction


def add_deduction(
    *, actor: Any, review: CaseFileReview, item: TemplateItem, count: int = 1, note: str = ""
) -> Deduction:
    """A deduction the reviewer found (an item of the campaign's template, how many places, what was wrong)."""
    with transaction.atomic(durable=True):
        review = _lock_file(review)
        _require_scoring(actor, review)
        errors = ErrorList()
        if not TemplateItem.objects.filter(pk=item.pk, section__template_id=review.campaign.template_id).exists():
            errors.add("item", "other_template", "该评查项目不属于本次活动的评查标准")
        if count < 1 or count > 99:
            errors.add("count", "out_of_range", "处数应为 1–99")
        if not _text(note):
            errors.add("note", "required", "请写明问题（文书、页码或环节）")
        errors.raise_if_any()
        deduction = Deduction.objects.create(
            review=review,
            item=item,
            source=DeductionSource.REVIEWER,
            state=DeductionState.CONFIRMED,
            count=count,
            note=_text(note),
            decided_by_name=_name(actor),
        )
        record_event(
            actor=actor,
            action="oversight.deduction.add",
            target=review,
            after={"deduction": deduction.pk, "item": item.text, "count": count, "note": deduction.note},
        )
    return deduction


def result_of(review: CaseFileReview) -> scoring.Result:
    """The score the confirmed deductions give now (also used to preview before submitting)."""
    template = review.campaign.template
    sections = {s.pk: Decimal(s.points) for s in template.sections.all()}
    items = {
        i.pk: scoring.ItemRule(i.pk, i.section_id, i.points, i.deduction, i.veto)
        for i in TemplateItem.objects.filter(section__template=template)
    }
    confirmed = list(review.deductions.filter(state=DeductionState.CONFIRMED).values_list("item_id", "count"))
    bands = [(b.rating, b.min_score) for b in template.bands.all()]
    return scoring.score(sections=sections, items=items, confirmed=confirmed, bands=bands)


def submit_score(*, actor: Any, review: CaseFileReview, comment: str = "") -> CaseFileReview:
    """Submit the file's score: every proposed deduction must be confirmed or dismissed first."""
    with transaction.atomic(durable=True):
        review = _lock_file(review)
        _require_scoring(actor, review)
        open_ = review.deductions.filter(state=DeductionState.PROPOSED).count()
        if open_:
            raise ValidationFailed(FieldError("deductions", "undecided", f"还有 {open_} 项系统发现的问题未确认或排除"))
        result = result_of(review)
        review.score, review.rating, review.vetoed = result.score, result.rating, result.vetoed
        review.state = FileState.SUBMITTED
        review.comment = _text(comment)
        review.reviewer = actor if getattr(actor, "pk", None) else None
        review.reviewer_name = _name(actor)
        review.submitted_at = timezone.now()
        review.save()
        record_event(
            actor=actor,
            action="oversight.file.score",
            target=review,
            before={"state": FileState.PENDING},
            after={
                "state": review.state,
                "case": review.case.number,
                "score": review.score,
                "rating": review.rating,
                "vetoed": review.vetoed,
            },
        )
    return review


# --- corrections ---------------------------------------------------------------------------------------------------


def submit_correction(*, actor: Any, review: CaseFileReview, text: str) -> CaseFileReview:
    """整改情况: the agency reports what it corrected (only while the campaign is in 反馈整改)."""
    with transaction.atomic(durable=True):
        review = _lock_file(review)
        scope.require(actor, CASE_HANDLE, review, visible_with=CASE_VIEW)
        if review.campaign.state not in lifecycle.CORRECTION_STATES:
            raise ValidationFailed(
                FieldError(
                    "text", "not_feedback", f"评查活动处于“{review.campaign.get_state_display()}”阶段，不能报送整改情况"
                )
            )
        if review.state not in (FileState.SUBMITTED, FileState.CORRECTED):
            raise Conflict("整改已确认，不能再修改")
        text = _text(text)
        if not text:
            raise ValidationFailed(FieldError("text", "required", "请填写整改情况"))
        before = {"state": review.state, "correction": review.correction}
        review.correction = text
        review.corrected_at = timezone.now()
        review.corrected_by_name = _name(actor)
        review.state = FileState.CORRECTED
        review.save()
        record_event(
            actor=actor,
            action="oversight.file.correct",
            target=review,
            before=before,
            after={"state": review.state, "correction": text},
        )
    return review


def accept_correction(*, actor: Any, review: CaseFileReview, opinion: str = "") -> CaseFileReview:
    """The reviewer accepts the agency's correction."""
    with transaction.atomic(durable=True):
        review = _lock_file(review)
        scope.require(actor, CASEFILE_REVIEW, review, visible_with=CASE_VIEW)
        if review.campaign.state not in lifecycle.CORRECTION_STATES:
            raise ValidationFailed(
                FieldError(
                    "opinion", "not_feedback", f"评查活动处于“{review.campaign.get_state_display()}”阶段，不能确认整改"
                )
            )
        if review.state != FileState.CORRECTED:
            raise ValidationFailed(FieldError("opinion", "no_correction", "办案机关尚未报送整改情况"))
        review.state = FileState.ACCEPTED
        review.acceptance = _text(opinion) or "整改到位"
        review.accepted_at = timezone.now()
        review.accepted_by_name = _name(actor)
        review.save()
        record_event(
            actor=actor,
            action="oversight.file.accept",
            target=review,
            before={"state": FileState.CORRECTED},
            after={"state": review.state, "opinion": review.acceptance},
        )
    return review


# --- annual statistics ---------------------------------------------------------------------------------------------


def compute_statistics(*, actor: Any, agency: Agency, year: int) -> StatisticsSnapshot:
    """Compute (or recompute) an agency's figures for ``year`` from the records; a published snapshot stays as
    published."""
    with transaction.atomic(durable=True):
        # the agency row is the lock: two computations of the same agency queue instead of both inserting
        agency = Agency.objects.select_for_update(of=("self",)).select_related("division").get(pk=agency.pk)
        probe = StatisticsSnapshot(agency=agency, year=year)
        scope.require(actor, ENFORCEMENT_STATS, probe)
        if not (2000 <= year <= timezone.localdate().year):
            raise ValidationFailed(FieldError("year", "out_of_range", "年度应在 2000 年至今年之间"))
        existing = StatisticsSnapshot.objects.select_for_update().filter(agency=agency, year=year).first()
        if existing is not None and existing.published_at is not None:
            raise Conflict(
                f"{agency.name}{year}年度统计已于 {timezone.localtime(existing.published_at):%Y-%m-%d} 发布，"
                "不能重新计算"
            )
        figures = normalise(stats.compute(agency, year))
        now = timezone.now()
        if existing is None:
            existing = StatisticsSnapshot.objects.create(agency=agency, year=year, figures=figures, computed_at=now)
            before = None
        else:
            before = {"figures": existing.figures, "computed_at": existing.computed_at}
            existing.figures, existing.computed_at = figures, now
            existing.save()
        record_event(
            actor=actor,
            action="oversight.statistics.compute",
            target=existing,
            before=before,
            after={"year": year, "figures": figures},
        )
    return existing


def publish_statistics(
    *, actor: Any, snapshot: StatisticsSnapshot, at: dt.datetime | None = None
) -> StatisticsSnapshot:
    """Publish the figures; on time when published by 31 January of the next year (Asia/Shanghai)."""
    at = at or timezone.now()
    with transaction.atomic(durable=True):
        snap = (
            StatisticsSnapshot.objects.select_for_update(of=("self",))
            .select_related("agency__division")
            .get(pk=snapshot.pk)
        )
        scope.require(actor, ENFORCEMENT_STATS, snap)
        if snap.published_at is not None:
            raise Conflict(f"该统计已于 {timezone.localtime(snap.published_at):%Y-%m-%d} 发布")
        day = timezone.localtime(at).date()
        if day <= dt.date(snap.year, 12, 31):
            raise ValidationFailed(FieldError("year", "year_not_over", f"{snap.year}年尚未结束，不能发布该年度统计"))
        snap.published_at = at
        snap.published_by_name = _name(actor)
        snap.on_time = day <= stats.deadline(snap.year)
        snap.save()
        record_event(
            actor=actor,
            action="oversight.statistics.publish",
            target=snap,
            after={
                "year": snap.year,
                "published_on": day,
                "on_time": snap.on_time,
                "deadline": stats.deadline(snap.year),
            },
        )
    return snap

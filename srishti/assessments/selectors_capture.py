"""Reads for the capture pages: an assessment's departments, one department's checklist
with its answers, one checkpoint, its history.

Every read here runs a fixed number of queries whatever the size of the department (a
district hospital department can hold 600 checkpoints): the checklist in one query, the
answers in one, the stored scores in one. Who may read or write is decided once per
request by `srishti.accounts.access`, never per checkpoint.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, FilteredRelation, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from srishti.accounts import access
from srishti.checklists.models import Checkpoint, Department, Translation
from srishti.checklists.translations import Texts, texts_for

from .models import Assessment, Assignment, Response, ResponseChange, ScoreRow
from .selectors import Figure
from .services import services_not_offered

Kind = Translation.Kind

NA = "na"  # how "not applicable" travels in forms and in CheckpointRow.value

SHOW_CHOICES = ("all", "unanswered", "gaps")


def level_key(value) -> str:
    """The canonical text of a score: "0", "0.5", "1", "2" (Decimal("2.0") -> "2")."""
    return format(Decimal(str(value)).normalize(), "f")


# ---------------------------------------------------------------------------------------
# Access, decided once per request.

@dataclass(frozen=True)
class CaptureAccess:
    assessment: Assessment
    editable: frozenset[int]  # department ids the user may write
    read_all: bool  # may read every department (quality roles, viewers)

    @property
    def locked(self) -> bool:
        return self.assessment.status == Assessment.Status.SUBMITTED

    def can_read(self, department_id: int) -> bool:
        return self.read_all or department_id in self.editable

    def can_write(self, department_id: int) -> bool:
        """Whether to offer the score buttons (a submitted assessment shows none)."""
        return department_id in self.editable and not self.locked


def _ids(departments) -> frozenset[int]:
    # access.editable_departments answers a set of ids; a queryset of departments is
    # accepted too, in case that changes.
    if hasattr(departments, "values_list"):
        return frozenset(departments.values_list("id", flat=True))
    return frozenset(d if isinstance(d, int) else d.pk for d in departments)


def capture_access(*, user, pk: int) -> CaptureAccess:
    """The assessment and what the user may do with its departments; 404 when the user
    may read none of them (missing, out of scope, or an assessor with no assignment)."""
    assessment = (Assessment.objects.select_related("facility__district", "version__tool",
                                                    "score")
                  .filter(pk=pk).first())
    if assessment is None:
        raise Http404
    editable = _ids(access.editable_departments(user, assessment))
    # Whoever reads the facility's scope reads every department; an assessor reads only
    # the departments assigned to them.
    read_all = access.can_view_facility(user, assessment.facility)
    if not editable and not read_all:
        raise Http404
    return CaptureAccess(assessment, editable, read_all)


# ---------------------------------------------------------------------------------------
# One checkpoint as the pages show it.

@dataclass(slots=True)
class CheckpointRow:
    id: int
    code: str
    text: str
    methods: list[str]
    means_of_verification: str
    levels: list[str]  # allowed scores, canonical text, ascending
    full: str
    na_allowed: bool
    # The stored answer: value is a level, NA, or "" when unanswered.
    value: str = ""
    remark: str = ""
    revision: int = 0
    save_url: str = ""
    fragment_url: str = ""
    history_url: str = ""
    # Markup shared by many checkpoints, rendered once per page by the view (see
    # views.capture.present): the score buttons and the method labels.
    buttons: str = ""
    methods_html: str = ""
    # The checklist's text in the other language (a tap away), when it has one.
    other_text: str = ""
    other_means: str = ""
    other_language: str = ""
    # Why the checkpoint does not apply here (AAM-SC service packages), or "".
    na_reason: str = ""

    @property
    def answered(self) -> bool:
        return self.value != ""

    @property
    def is_gap(self) -> bool:
        return self.value not in ("", NA) and self.value != self.full

    @property
    def state(self) -> str:
        """The CSS modifier of the answer: NA, a gap, a full score, or none."""
        if not self.value:
            return ""
        if self.value == NA:
            return "cp--na"
        return "cp--gap" if self.value != self.full else "cp--full"


@dataclass
class UrlPattern:
    """Checkpoint URLs built by string formatting: reversing three URLs for each of 600
    checkpoints would cost more than rendering them."""

    save: str
    fragment: str
    history: str

    @classmethod
    def for_assessment(cls, assessment_id: int) -> UrlPattern:
        def pattern(name: str) -> str:
            return reverse(name, args=[assessment_id, 987654321]).replace("987654321", "{}")
        return cls(pattern("capture-save"), pattern("capture-checkpoint"),
                   pattern("capture-history"))


_levels_cache: dict[tuple, list[str]] = {}


def _levels(raw: Iterable) -> list[str]:
    # Hundreds of checkpoints share two or three level sets; build each list once.
    key = tuple(raw)
    if key not in _levels_cache:
        _levels_cache[key] = sorted({level_key(v) for v in key}, key=Decimal)
    return _levels_cache[key]


CHECKPOINT_FIELDS = ("id", "code", "text", "methods", "means_of_verification", "levels",
                     "na_allowed")


def _row(values: tuple, version_levels: list, urls: UrlPattern) -> CheckpointRow:
    cid, code, text, methods, mov, levels, na_allowed = values
    allowed = _levels(levels or version_levels)
    return CheckpointRow(
        id=cid, code=code, text=text, methods=methods.split(), means_of_verification=mov,
        levels=allowed, full=allowed[-1], na_allowed=na_allowed,
        save_url=urls.save.format(cid), fragment_url=urls.fragment.format(cid),
        history_url=urls.history.format(cid),
    )


def _answer(row: CheckpointRow, value, remark: str, revision: int) -> None:
    row.value = NA if value is None else level_key(value)
    row.remark = remark
    row.revision = revision


@dataclass
class CheckpointView:
    row: CheckpointRow
    department_id: int
    area: str
    response: Response | None


def checkpoint_for_capture(*, capture: CaptureAccess, checkpoint_id: int,
                           for_write: bool = False) -> tuple[Checkpoint, CheckpointView]:
    """One checkpoint of the assessment with its stored answer (two queries); 404 when
    it is not in the checklist, or its department is not readable (writable)."""
    assessment = capture.assessment
    checkpoint = (Checkpoint.objects.select_related("standard__area")
                  .filter(pk=checkpoint_id, version_id=assessment.version_id).first())
    allowed = (checkpoint is not None and (
        checkpoint.department_id in capture.editable if for_write
        else capture.can_read(checkpoint.department_id)))
    if not allowed:
        raise Http404
    checkpoint.version = assessment.version  # the service reads the version's levels
    response = (Response.objects.select_related("updated_by")
                .filter(assessment=assessment, checkpoint=checkpoint).first())
    return checkpoint, checkpoint_view(assessment, checkpoint, response)


def _localise(row: CheckpointRow, service: str, not_offered: dict[str, str],
              texts: Texts | None) -> None:
    """The row in the reader's language, with the other a tap away, and NA with its reason
    when the facility's service profile does not cover the checkpoint."""
    if service in not_offered:
        # Scored as NA whatever was answered (services.fetch_checkpoint_scores).
        row.na_reason = na_reason_text(not_offered[service], service)
        row.value = NA
    if texts is not None:
        text, mov = row.text, row.means_of_verification
        row.other_language = texts.other_language
        row.other_text = texts.other(Kind.CHECKPOINT, row.id, "text", text) or ""
        row.text = texts.primary(Kind.CHECKPOINT, row.id, "text", text)
        if mov:
            row.other_means = texts.other(Kind.CHECKPOINT, row.id, "means_of_verification",
                                          mov) or ""
            row.means_of_verification = texts.primary(Kind.CHECKPOINT, row.id,
                                                      "means_of_verification", mov)


def checkpoint_view(assessment: Assessment, checkpoint: Checkpoint,
                    response: Response | None) -> CheckpointView:
    values = tuple(getattr(checkpoint, f) for f in CHECKPOINT_FIELDS)
    row = _row(values, assessment.version.levels, UrlPattern.for_assessment(assessment.pk))
    if response is not None:
        _answer(row, response.value, response.remark, response.revision)
    version = assessment.version
    if version.second_language or version.service_tags:
        texts = (texts_for(version, kinds=[Kind.CHECKPOINT], object_ids=[checkpoint.pk])
                 if version.second_language else None)
        _localise(row, checkpoint.service, services_not_offered(assessment), texts)
    return CheckpointView(row, checkpoint.department_id, checkpoint.standard.area.letter,
                          response)


# ---------------------------------------------------------------------------------------
# Progress and the live score card of one department.

@dataclass
class AreaProgress:
    letter: str
    title: str
    total: int = 0
    answered: int = 0
    gaps: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


@dataclass
class Progress:
    areas: list[AreaProgress]
    total: int = 0
    answered: int = 0
    gaps: int = 0

    @property
    def unanswered(self) -> int:
        return self.total - self.answered

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def _progress(rows: Iterable[tuple[str, str, CheckpointRow]]) -> Progress:
    """Count (area letter, area title, checkpoint) rows, areas in the order first met."""
    areas: dict[str, AreaProgress] = {}
    for letter, title, row in rows:
        area = areas.get(letter)
        if area is None:
            area = areas[letter] = AreaProgress(letter, title)
        area.total += 1
        if row.value:
            area.answered += 1
            if row.is_gap:
                area.gaps += 1
    listed = list(areas.values())
    return Progress(listed, sum(a.total for a in listed), sum(a.answered for a in listed),
                    sum(a.gaps for a in listed))


@dataclass
class ScoreCard:
    """A department's stored figures: its score and one figure per area of concern."""

    department: Figure
    areas: list[Figure]
    area_threshold: float | None = None


def department_scorecard(assessment: Assessment, department_id: int, name: str,
                         area_titles: dict[str, str]) -> ScoreCard:
    """Read from the stored score rows (one query), never recomputed."""
    total = Figure(name, name, 0, 0, None)
    areas = []
    for level, code, obtained, maximum, score, scored, na in (
        ScoreRow.objects.filter(assessment=assessment, department_id=department_id,
                                level__in=[ScoreRow.Level.DEPARTMENT, ScoreRow.Level.AREA])
        .values_list("level", "code", "obtained", "maximum", "score", "scored",
                     "not_applicable")
    ):
        if level == ScoreRow.Level.DEPARTMENT:
            total = Figure(name, name, obtained, maximum, score, scored, na)
        else:
            areas.append(Figure(code, area_titles.get(code, ""), obtained, maximum, score,
                                scored, na))
    areas.sort(key=lambda f: f.code)
    verdict = assessment.score.verdict if hasattr(assessment, "score") else {}
    threshold = next((c["threshold"] for c in verdict.get("criteria", [])
                      if c.get("kind") == "each_area"), None)
    return ScoreCard(total, areas, threshold)


def department_progress(assessment: Assessment, department_id: int) -> Progress:
    """Answered and gap counts of a department's areas after a save: one query joining
    the checklist to this assessment's answers."""
    rows = (Checkpoint.objects.filter(department_id=department_id)
            .annotate(answer=FilteredRelation("responses",
                                              condition=Q(responses__assessment=assessment)))
            .order_by("order")
            .values_list("standard__area__letter", "standard__area__title", "levels",
                         "answer__id", "answer__value"))
    version_levels = assessment.version.levels

    def counted():
        for letter, title, levels, answer_id, value in rows:
            allowed = _levels(levels or version_levels)
            row = CheckpointRow(0, "", "", [], "", allowed, allowed[-1], True)
            if answer_id is not None:
                row.value = NA if value is None else level_key(value)
            yield letter, title, row

    return _progress(counted())


# ---------------------------------------------------------------------------------------
# The department page.

@dataclass
class ElementBlock:
    code: str
    text: str
    checkpoints: list[CheckpointRow] = field(default_factory=list)
    other: str = ""


@dataclass
class StandardBlock:
    code: str
    title: str
    elements: list[ElementBlock] = field(default_factory=list)
    other: str = ""


@dataclass
class AreaBlock:
    letter: str
    title: str
    standards: list[StandardBlock] = field(default_factory=list)
    other: str = ""


def na_reason_text(reason: str, service: str) -> str:
    """Why a checkpoint does not apply, as the capture page says it."""
    if reason == "type_b_only":
        return _("Not applicable: for type B sub-centres only; this one is type A.")
    return _("Not applicable: this sub-centre does not offer the %(service)s service "
             "package (see its service profile).") % {"service": service}


@dataclass
class DepartmentPage:
    capture: CaptureAccess
    department: Department
    areas: list[AreaBlock]  # the hierarchy, filtered by `show`
    progress: Progress
    scorecard: ScoreCard
    assessors: list[str]
    show: str
    editable: bool
    shown: int  # checkpoints listed after filtering
    department_name: str = ""  # in the reader's language
    department_other: str = ""
    other_language: str = ""

    @property
    def assessment(self) -> Assessment:
        return self.capture.assessment


def department_page(*, capture: CaptureAccess, department_id: int,
                    show: str = "all") -> DepartmentPage:
    """A department's whole checklist with its answers, grouped area > standard >
    measurable element, in five queries whatever its size. `show` keeps only the
    unanswered checkpoints or the gaps (answered below full score)."""
    assessment = capture.assessment
    if not capture.can_read(department_id):
        raise Http404
    department = Department.objects.filter(pk=department_id,
                                           version_id=assessment.version_id).first()
    if department is None:
        raise Http404
    urls = UrlPattern.for_assessment(assessment.pk)
    version_levels = assessment.version.levels
    checkpoints = (Checkpoint.objects.filter(department_id=department.pk).order_by("order")
                   .values_list(*CHECKPOINT_FIELDS, "standard_id", "standard__code",
                                "standard__title", "standard__area__letter",
                                "standard__area__title", "measurable_element_id",
                                "measurable_element__code", "measurable_element__text",
                                "standard__area_id", "service"))
    version = assessment.version
    texts = texts_for(version) if version.second_language else None
    not_offered = services_not_offered(assessment)
    answers = {cid: (value, remark, revision) for cid, value, remark, revision in
               Response.objects.filter(assessment=assessment,
                                       checkpoint__department_id=department.pk)
               .values_list("checkpoint_id", "value", "remark", "revision")}

    flat: list[tuple[str, str, CheckpointRow]] = []
    areas: list[AreaBlock] = []
    area_titles: dict[str, str] = {}
    area = standard = element = None
    standard_id = element_id = None
    shown = 0
    for values in checkpoints:
        (std_id, std_code, std_title, letter, area_title, me_id, me_code,
         me_text, area_id, service) = values[len(CHECKPOINT_FIELDS):]
        row = _row(values[:len(CHECKPOINT_FIELDS)], version_levels, urls)
        answer = answers.get(row.id)
        if answer is not None:
            _answer(row, *answer)
        _localise(row, service, not_offered, texts)
        area_other = ""
        if texts is not None:
            area_other = texts.other(Kind.AREA, area_id, "title", area_title) or ""
            area_title = texts.primary(Kind.AREA, area_id, "title", area_title)
        flat.append((letter, area_title, row))
        area_titles.setdefault(letter, area_title)
        if show == "unanswered" and row.answered or show == "gaps" and not row.is_gap:
            continue
        shown += 1
        if area is None or area.letter != letter:
            area = AreaBlock(letter, area_title, other=area_other)
            areas.append(area)
            standard_id = element_id = None
        if std_id != standard_id:
            standard = StandardBlock(std_code, std_title)
            if texts is not None:
                standard.title = texts.primary(Kind.STANDARD, std_id, "title", std_title)
                standard.other = texts.other(Kind.STANDARD, std_id, "title", std_title) or ""
            area.standards.append(standard)
            standard_id, element_id = std_id, None
            element = None
        if element is None or me_id != element_id:
            element = ElementBlock(me_code or "", me_text or "")
            if texts is not None and me_id:
                element.text = texts.primary(Kind.ELEMENT, me_id, "text", me_text)
                element.other = texts.other(Kind.ELEMENT, me_id, "text", me_text) or ""
            standard.elements.append(element)
            element_id = me_id
        element.checkpoints.append(row)

    assessors = [a.assessor.get_full_name() or a.assessor.username
                 for a in Assignment.objects.filter(assessment=assessment,
                                                    department=department)
                 .select_related("assessor").order_by("assessor__username")]
    return DepartmentPage(
        capture=capture, department=department, areas=areas, progress=_progress(flat),
        scorecard=department_scorecard(assessment, department.pk, department.name,
                                         area_titles),
        assessors=assessors, show=show, editable=capture.can_write(department.pk),
        shown=shown,
        department_name=(texts.primary(Kind.DEPARTMENT, department.pk, "name", department.name)
                         if texts else department.name),
        department_other=(texts.other(Kind.DEPARTMENT, department.pk, "name", department.name)
                          or "" if texts else ""),
        other_language=texts.other_language if texts else "",
    )


# ---------------------------------------------------------------------------------------
# The assessment's departments.

@dataclass
class DepartmentLine:
    id: int
    name: str
    total: int
    answered: int
    score: Figure | None
    assessors: list[str]
    can_read: bool
    can_write: bool
    # False when the facility does not have the department (left out of every figure).
    present: bool = True

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def capture_overview(*, capture: CaptureAccess) -> list[DepartmentLine]:
    """Every department of the assessment with its progress, stored score and
    assessors (three queries)."""
    assessment = capture.assessment
    departments = (Department.objects.filter(version_id=assessment.version_id)
                   .annotate(total=Count("checkpoints", distinct=True))
                   .order_by("order").values_list("id", "name", "total"))
    answered = dict(Response.objects.filter(assessment=assessment)
                    .values("checkpoint__department_id").order_by()
                    .annotate(n=Count("id")).values_list("checkpoint__department_id", "n"))
    scores = {dep: Figure(name, name, obtained, maximum, score)
              for dep, name, obtained, maximum, score in
              ScoreRow.objects.filter(assessment=assessment, level=ScoreRow.Level.DEPARTMENT)
              .values_list("department_id", "department__name", "obtained", "maximum",
                           "score")}
    absent = set(assessment.not_present)
    assessors: dict[int, list[str]] = {}
    for a in (Assignment.objects.filter(assessment=assessment).select_related("assessor")
              .order_by("assessor__username")):
        assessors.setdefault(a.department_id, []).append(
            a.assessor.get_full_name() or a.assessor.username)
    return [
        DepartmentLine(dep, name, total, answered.get(dep, 0), scores.get(dep),
                       assessors.get(dep, []), capture.can_read(dep), capture.can_write(dep),
                       present=name not in absent)
        for dep, name, total in departments
    ]


# ---------------------------------------------------------------------------------------
# History.

def checkpoint_history(*, assessment: Assessment, checkpoint: Checkpoint) -> list[ResponseChange]:
    """Every change to the answer, newest first (one query)."""
    return list(ResponseChange.objects.filter(response__assessment=assessment,
                                              response__checkpoint=checkpoint)
                .select_related("user").order_by("-revision"))

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tillit.audit.models import Action
from tillit.bam import queries, services
from tillit.bam.forms import ClientMomentForm, MomentForm, NoteForm
from tillit.bam.models import Column, Kind, Moment, Tag
from tillit.clients import access
from tillit.lib.charts import Series, line_chart
from tillit.lib.http import AuthedRequest
from tillit.lib.portal import client_page
from tillit.lib.revisions import Conflict, conflict_context, revision_for


def _moment_for(request: AuthedRequest, pk: int, action: str) -> tuple[Moment, access.Grant]:
    return access.get_on_case_for(request, Moment, "moment", pk, action)


@require_safe
def person_moments(request: AuthedRequest, pk: int) -> HttpResponse:
    """A person's moments as cards on a timeline, filtered by one of their tags."""
    granted = access.get_person_for(request, pk, Action.READ)
    rows = (
        Moment.objects.filter(case__in=granted.cases)
        .select_related("written_by")
        .prefetch_related("tags")
    )
    tag = request.GET.get("tag", "")
    if tag:
        rows = rows.filter(tags__name=tag)
    writable = [c for c in granted.cases if c.is_open and granted.grant.allows(Action.CREATE)]
    moments = list(rows)
    return render(
        request,
        "bam/person.html",
        {
            "person": granted.person,
            "granted": granted,
            "grant": granted.grant,
            "moments": moments,
            "tags": list(Tag.objects.filter(person=granted.person).values_list("name", flat=True)),
            "tag": tag,
            "writable": writable,
        },
    )


def moment_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a moment explored with the client, then open its board."""
    case, _grant = access.get_case_for(request, pk, Action.CREATE)
    form = MomentForm(
        request.POST or None,
        case=case,
        initial={
            "happened_at": timezone.localtime().replace(second=0, microsecond=0),
            "kind": request.GET.get("kind", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            moment = services.moment_record(
                actor=request.user, person=case.person, case=case, **form.moment_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("bam:board", pk=moment.pk)
    return render(
        request, "bam/moment_form.html", {"form": form, "case": case, "person": case.person}
    )


def moment_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change what is written on a moment."""
    moment, _grant = _moment_for(request, pk, Action.UPDATE)
    initial = {
        name: getattr(moment, name)
        for name in (*services.TEXT_FIELDS, "kind", "happened_at", "confidence", "entry")
    }
    initial["tags"] = [t.name for t in moment.tags.all()]
    initial["revision"] = moment.revision
    form = MomentForm(
        request.POST or None, case=moment.case, entry_id=moment.entry_id, initial=initial
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.moment_update(
                moment=moment, revision=revision_for(form, request.POST), **form.moment_fields()
            )
        except Conflict as stale:
            # Someone saved the moment since this page was read: both side by side.
            saved = stale.saved
            stored = {name: getattr(saved, name) for name in form.fields if name in initial}
            stored.pop("tags", None)
            stored.pop("revision", None)
            conflict = conflict_context(
                stale,
                form,
                stored,
                heading=_("Someone else saved this moment while you were writing."),
                reload=reverse("bam:moment_edit", args=[moment.pk]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("bam:board", pk=moment.pk)
    return render(
        request,
        "bam/moment_form.html",
        {
            "form": form,
            "case": moment.case,
            "person": moment.case.person,
            "moment": moment,
            "conflict": conflict,
        },
    )


def _columns(moment: Moment, forms: dict[str, NoteForm] | None = None) -> list[dict]:
    notes: dict[str, list] = {value: [] for value in Column.values}
    for note in moment.notes.all():
        notes[note.column].append(note)
    texts: dict[str, str] = {
        Column.ANTECEDENT: moment.antecedent,
        Column.BEHAVIOUR: moment.behaviour,
        Column.CONSEQUENCE: moment.consequences,
    }
    forms = forms or {}
    return [
        {
            "key": value,
            "label": label,
            "text": texts[value],
            "notes": notes[value],
            "form": forms.get(value) or NoteForm(initial={"column": value}, auto_id=f"{value}-%s"),
        }
        for value, label in Column.choices
    ]


def _board(
    request: AuthedRequest,
    moment: Moment,
    board_mode: bool,
    *,
    forms: dict[str, NoteForm] | None = None,
    status: int = 200,
    column_error: bool = False,
    grant: access.Grant | None = None,
) -> HttpResponse:
    context = {
        "can_edit": grant is not None and grant.allows(Action.UPDATE),
        "moment": moment,
        "person": moment.case.person,
        "board_mode": board_mode,
        "columns": _columns(moment, forms),
        "strong": Kind.STRONG,
        "column_error": column_error,
    }
    return render(request, "bam/board.html", context, status=status)


@require_safe
def board(request: AuthedRequest, pk: int) -> HttpResponse:
    """One moment's board for the meeting: three columns, a note added in a few keys."""
    moment, grant = _moment_for(request, pk, Action.READ)
    return _board(request, moment, board_mode=False, grant=grant)


@require_safe
def board_mode(request: AuthedRequest, pk: int) -> HttpResponse:
    """The same board for the big screen: large type, nothing else from the record."""
    moment, _grant = _moment_for(request, pk, Action.READ)
    return _board(request, moment, board_mode=True)


@require_POST
def note_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a note to a column: htmx swaps that column; a plain post goes back to the board."""
    moment, _grant = _moment_for(request, pk, Action.CREATE)
    in_board_mode = request.POST.get("mode") == "board"
    column = request.POST.get("column", "")
    if column not in Column.values:
        return _board(request, moment, in_board_mode, status=400, column_error=True)
    form = NoteForm(request.POST, auto_id=f"{column}-%s")
    added = False
    if form.is_valid():
        try:
            services.note_add(actor=request.user, moment=moment, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not request.htmx:
                return redirect("bam:board_mode" if in_board_mode else "bam:board", pk=moment.pk)
            form = NoteForm(initial={"column": column}, auto_id=f"{column}-%s")
            added = True
    if request.htmx:
        # 200 even for a refused note: htmx swaps only successful responses, and the
        # column carries the error message.
        col = next(c for c in _columns(moment, {column: form}) if c["key"] == column)
        context = {"moment": moment, "col": col, "board_mode": in_board_mode, "added": added}
        return render(request, "bam/board.html#column", context)
    return _board(request, moment, in_board_mode, forms={column: form}, status=400)


@require_safe
def patterns(request: AuthedRequest, pk: int) -> HttpResponse:
    """Patterns over time: weak and strong moments, confidence, tags, alternatives."""
    granted = access.get_person_for(request, pk, Action.READ)
    shown = _patterns(Moment.objects.filter(case__in=granted.cases), request.GET.get("by", ""))
    return render(request, "bam/patterns.html", {"person": granted.person, **shown})


def _patterns(moments: QuerySet[Moment], by: str) -> dict:
    """The numbers and charts of the patterns page, computed in the database; shown to the
    worker and, as "my strong moments", to the client."""
    by = "week" if by == "week" else "month"
    rows = queries.periods(moments, by)
    labels = [p.label for p in rows]
    top = max([p.weak for p in rows] + [p.strong for p in rows] + [2])
    top += top % 2
    counts = line_chart(
        [
            Series("weak", _("Weak moments"), [p.weak for p in rows], shape="square"),
            Series("strong", _("Strong moments"), [p.strong for p in rows], shape="triangle"),
        ],
        labels,
        low=0,
        high=top,
    )
    confidence = line_chart(
        [Series("confidence", _("Mean confidence"), [p.confidence for p in rows])],
        labels,
        low=0,
        high=10,
    )
    return {
        "by": by,
        "rows": rows,
        "counts": counts,
        "confidence": confidence,
        "tags": queries.tag_counts(moments),
        "alternatives": queries.alternatives(moments),
        "strong": Kind.STRONG,
    }


# -- the client's own moments, in the portal ------------------------------------------------


@client_page
@require_safe
def mine(request: AuthedRequest) -> HttpResponse:
    """My moments: record one between meetings, see my strong moments and my patterns."""
    person = access.get_own_person(request)
    return _render_mine(request, person, None)


def _render_mine(request: AuthedRequest, person, form) -> HttpResponse:
    case = person.cases.open().order_by("-opened_on").first()
    moments = Moment.objects.filter(person=person)
    if form is None and case is not None:
        form = ClientMomentForm(
            case=case,
            initial={
                "happened_at": timezone.localtime().replace(second=0, microsecond=0),
                "kind": Kind.STRONG,
            },
        )
    strong = moments.filter(kind=Kind.STRONG).prefetch_related("tags").order_by("-happened_at")
    return render(
        request,
        "bam/mine.html",
        {
            "person": person,
            "form": form,
            "strong_moments": strong[:20],
            **_patterns(moments, request.GET.get("by", "")),
        },
    )


@client_page
@require_POST
def mine_new(request: AuthedRequest) -> HttpResponse:
    person, grant = access.own_person(request, Action.CREATE)
    case = person.cases.open().order_by("-opened_on").first()
    if case is None:
        access.refuse(request.user, "case", "open", False, Action.CREATE)
    assert case is not None
    access.record(request, Action.CREATE, grant=grant, person=person, case=case)
    form = ClientMomentForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.moment_record_by_client(person=person, case=case, **form.moment_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your moment is saved. You can go through it together at your next meeting."),
            )
            return redirect("bam:mine")
    return _render_mine(request, person, form)

"""Public pages of the directory and the referral guide, and the moderation pages."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Field, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facit.accounts import roles
from facit.accounts.actor import request_actor
from facit.accounts.models import User
from facit.core.concurrency import EditConflict
from facit.core.permissions import get_object_for, role_required
from facit.directory import guide, vocab
from facit.directory.barnahus import barnahus_for, coverage_map, map_height
from facit.directory.forms import (
    DecisionForm,
    DutyTextForm,
    HsdsImportForm,
    ReferralForm,
    SearchForm,
    ServiceChangeForm,
    choice_field,
)
from facit.directory.models import (
    Address,
    Barnahus,
    BarnahusNote,
    Location,
    Municipality,
    PendingChange,
    Service,
)
from facit.directory.search import (
    SearchParams,
    UnknownMunicipality,
    attach_terms,
    municipality_resolve,
    search_services,
)
from facit.directory.seed import SERVICES_FILE
from facit.directory.services import (
    ChangeNotPending,
    change_approve,
    change_propose,
    change_reject,
    duty_text_create,
    duty_text_current,
    service_verify,
    user_can_edit_organization,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _private(response: HttpResponse) -> HttpResponse:
    """Pages whose address holds what a person typed: not cached, not sent on as referrer."""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    return response


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return max(1, int(raw)) if raw.isdigit() else 1


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {
        "form": form,
        "searched": False,
        "municipality_options": _municipality_options(),
    }
    if form.is_bound and form.is_valid():
        context["searched"] = True
        try:
            result = search_services(form.params(page=_page_number(request)))
        except UnknownMunicipality as exc:
            form.add_error("municipality", _unknown_message(exc))
            context["suggestions"] = exc.suggestions
        else:
            context["result"] = result
            if result.place is not None and form.cleaned_data.get("municipality"):
                context["barnahus"] = barnahus_for(result.place)
            # each result says why it matched, as in the referral guide
            labels = dict(cast(list[tuple[str, str]], choice_field(form, "exploitation").choices))
            chosen = {
                f"exploitation:{c}": labels[c] for c in form.cleaned_data.get("exploitation") or []
            }
            for hit in result.hits:
                hit.why = _why(hit, result.place, form.cleaned_data.get("age"), chosen)
            params = request.GET.copy()
            params.pop("page", None)
            context["params"] = params.urlencode()
            context["share_url"] = request.build_absolute_uri()
    return _private(render(request, "directory/search.html", context))


_LISTBOX: dict[str, Any] = {"version": None, "html": ""}


def _municipality_options() -> SafeString:
    """The municipality combobox's options (includes/municipality_options.html), rendered
    once per load of the municipalities: 290 of them were most of a search page's rendering
    time. Names and codes are data in no language, so one rendering serves every page."""
    from facit.directory.search import _all_municipalities, places_version

    places = _all_municipalities()
    version = places_version()
    if _LISTBOX["version"] != version:
        html = render_to_string(
            "includes/municipality_options.html",
            {"municipality_options": sorted(places, key=lambda m: m.name)},
        )
        _LISTBOX.update(version=version, html=html)
    return cast(SafeString, _LISTBOX["html"])


def _unknown_message(exc: UnknownMunicipality) -> str:
    names = ", ".join(m.name for m in exc.suggestions)
    return _("There is no municipality called “%(query)s”. Did you mean: %(names)s?") % {
        "query": exc.query,
        "names": names,
    }


def _service_detail(service_id: str) -> Service:
    locations = Location.objects.prefetch_related(
        Prefetch("addresses", queryset=Address.objects.order_by("address_type")), "phones"
    )
    qs = Service.objects.published().select_related("organization")
    qs = qs.prefetch_related(
        "phones",
        "schedules",
        "service_areas",
        "languages",
        "cost_options",
        "interventions",
        Prefetch("service_at_locations__location", queryset=locations),
    )
    try:
        return qs.get(pk=service_id)
    except Service.DoesNotExist as exc:
        raise Http404 from exc


def service_detail(request: HttpRequest, service_id: str) -> HttpResponse:
    service = _service_detail(service_id)
    attach_terms([service])
    context = {
        "service": service,
        "locations": [sal.location for sal in service.service_at_locations.all()],
        "vocab_labels": _vocab_labels(),
        "can_edit": user_can_edit_organization(request.user, service.organization),
        "is_editor": request.user.is_authenticated and request.user.has_role(roles.EDITOR),
    }
    return render(request, "directory/service_detail.html", context)


def _vocab_labels() -> dict[str, str]:
    return {
        vocab.AUDIENCE: _("Audience"),
        vocab.EXPLOITATION: _("Form of exploitation"),
        vocab.CHANNEL: _("How to get in touch"),
        vocab.COST: _("Cost"),
        vocab.GENDER: _("Gender"),
    }


@login_required
def service_edit(request: HttpRequest, service_id: str) -> HttpResponse:
    service = get_object_for(
        request,
        Service.objects.select_related("organization"),
        lambda user, s: user_can_edit_organization(user, s.organization),
        pk=service_id,
    )
    form = ServiceChangeForm(
        request.POST or None, instance=service, initial={"version": service.version}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ServiceChangeForm.Meta.fields}
        fresh = Service.objects.get(pk=service.pk)
        change_propose(
            service=fresh,
            data=data,
            actor=request_actor(request),
            expected_version=form.cleaned_data["version"],
        )
        messages.success(
            request, _("Thank you. An editor will review your change before it is published.")
        )
        return redirect("directory:service_detail", service_id=service.pk)
    pending = service.pending_changes.filter(status=PendingChange.Status.PENDING)
    return render(
        request,
        "directory/service_edit.html",
        {"service": service, "form": form, "pending": pending},
    )


@role_required(roles.PROVIDER, roles.EDITOR)
def my_services(request: HttpRequest) -> HttpResponse:
    """A provider's organisations and their services, with their proposals' state."""
    user = cast(User, request.user)  # role_required turns anonymous visitors away
    memberships = user.directory_memberships.select_related("organization")
    orgs = [m.organization for m in memberships]
    services = Service.objects.filter(organization__in=orgs).select_related("organization")
    proposals = PendingChange.objects.filter(proposed_by=user).select_related("service")
    return render(
        request,
        "directory/my_services.html",
        {"services": services, "proposals": proposals[:30], "orgs": orgs},
    )


@role_required(roles.EDITOR)
def change_list(request: HttpRequest) -> HttpResponse:
    changes = PendingChange.objects.select_related("service", "proposed_by", "decided_by")
    rows = [(c, _diff(c)) for c in changes.filter(status=PendingChange.Status.PENDING)]
    decided = changes.exclude(status=PendingChange.Status.PENDING)[:30]
    return render(
        request,
        "directory/change_list.html",
        {"rows": rows, "decided": decided, "form": DecisionForm()},
    )


def _diff(change: PendingChange) -> list[tuple[StrOrPromise, Any, Any]]:
    service = change.service
    # a proposal holds only ServiceChangeForm's fields: concrete fields of Service
    return [
        (
            cast("Field[Any, Any]", Service._meta.get_field(name)).verbose_name,
            getattr(service, name),
            value,
        )
        for name, value in change.data.items()
    ]


@require_POST
@role_required(roles.EDITOR)
def change_decide(request: HttpRequest, change_id: int) -> HttpResponse:
    change = get_object_or_404(PendingChange, pk=change_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("directory:change_list")
    note = form.cleaned_data["note"]
    try:
        if form.cleaned_data["decision"] == "approve":
            change_approve(change=change, actor=request_actor(request), note=note)
            messages.success(request, _("The change is published."))
        else:
            change_reject(change=change, actor=request_actor(request), note=note)
            messages.success(request, _("The change was rejected."))
    except EditConflict:
        messages.error(
            request,
            _(
                "The service was changed after this proposal was made. Reject it and ask the provider to propose again."
            ),
        )
    except ChangeNotPending:
        messages.error(request, _("This change was already decided."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("directory:change_list")


@require_POST
@role_required(roles.EDITOR)
def service_verify_view(request: HttpRequest, service_id: str) -> HttpResponse:
    service = get_object_or_404(Service, pk=service_id)
    service_verify(service=service, actor=request_actor(request))
    messages.success(request, _("Marked as verified today."))
    return redirect("directory:service_detail", service_id=service.pk)


# --------------------------------------------------------------------------- referral guide


def referral_guide(request: HttpRequest) -> HttpResponse:
    """Step by step for the professional. The form is GET and nothing is stored or logged
    by facit: no database row, no audit entry."""
    form = ReferralForm(request.GET or None)
    context: dict[str, Any] = {
        "form": form,
        "duty": duty_text_current(),
        "urgent": _urgent_note(),
        "guide": _guide_document(request),
        "headings": guide.HEADINGS,
        "steps": {
            "signs_intro": guide.SIGNS_INTRO,
            "signs": guide.SIGNS,
            "signs_outro": guide.SIGNS_OUTRO,
            "ask": guide.ASK,
            "say": guide.SAY,
        },
        "municipality_options": _municipality_options(),
        "is_editor": request.user.is_authenticated and request.user.has_role(roles.EDITOR),
    }
    if form.is_bound and form.is_valid() and _has_answers(form.cleaned_data):
        context.update(_referral_matches(form))
    return _private(render(request, "directory/referral_guide.html", context))


def _has_answers(data: dict[str, Any]) -> bool:
    return bool(data.get("municipality") or data.get("age") is not None or data.get("situation"))


def _referral_matches(form: ReferralForm) -> dict[str, Any]:
    d = form.cleaned_data
    params = SearchParams(
        municipality=(d.get("municipality") or "").strip(),
        age=d.get("age"),
        exploitation=[f"exploitation:{c}" for c in d.get("situation") or []],
        per_page=50,
    )
    try:
        result = search_services(params)
    except UnknownMunicipality as exc:
        form.add_error("municipality", _unknown_message(exc))
        return {"suggestions": exc.suggestions}
    choices = choice_field(form, "situation").choices  # a list, set in ReferralForm
    labels = dict(cast(list[tuple[str, str]], choices))
    place = result.place
    if place is not None:  # fresh, for the on-call contact an editor may just have recorded
        place = Municipality.objects.select_related("county").get(pk=place.pk)
    chosen = {f"exploitation:{c}": labels[c] for c in d.get("situation") or []}
    for hit in result.hits:
        hit.why = _why(hit, place, d.get("age"), chosen)
    groups = [
        (_("Local"), [h for h in result.hits if h.reach in ("municipality", "radius", "near")]),
        (_("In the county"), [h for h in result.hits if h.reach == "county"]),
        (_("National"), [h for h in result.hits if h.reach in ("national", "")]),
    ]
    return {
        "result": result,
        "groups": [(title, hits) for title, hits in groups if hits],
        "place": place,
        "barnahus": barnahus_for(place) if place is not None else None,
        "situation_labels": list(chosen.values()),
    }


def _why(
    hit: Any, place: Municipality | None, age: int | None, chosen: dict[str, str]
) -> list[str]:
    """Why a result matched: how it reaches the place, the age, the forms of exploitation."""
    why: list[str] = []
    if place is not None and hit.reach == "municipality":
        why.append(_("serves %(name)s") % {"name": place.name})
    elif place is not None and hit.reach == "county":
        why.append(_("serves %(county)s") % {"county": place.county.name})
    elif hit.reach in ("radius", "near"):
        why.append(_("near %(name)s") % {"name": place.name if place else ""})
    elif hit.reach == "national":
        why.append(_("serves the whole country"))
    card = hit.service
    if age is not None:
        if card.minimum_age is None and card.maximum_age is None:
            why.append(_("no age limit stated"))
        else:
            why.append(_("age %(age)s is within its ages") % {"age": age})
    stated = {t.code for t in card.terms.get("exploitation", [])}
    for code, label in chosen.items():
        if code in stated:
            why.append(_("works with: %(label)s") % {"label": label})
    if chosen and not stated:
        why.append(_("states no particular form of exploitation"))
    return why


def _guide_document(request: HttpRequest) -> Any:
    """The guidance document that holds steps 1–3 (a draft under the panel's review)."""
    from facit.directory.guide import guide_document

    return guide_document()


URGENT_MARKER = {"en": "In urgent cases", "sv": "I akuta fall"}


@functools.cache
def _urgent_entry() -> dict[str, Any] | None:
    """The services file's entry whose notes speak of urgent cases, read once per process."""
    import json

    data = json.loads(SERVICES_FILE.read_text(encoding="utf-8"))
    for entry in data["entries"]:
        if URGENT_MARKER["en"] in entry.get("notes", ""):
            return dict(entry)
    return None


def _urgent_note() -> dict[str, Any] | None:
    """The file's own words on urgent cases (the entry whose notes say "In urgent cases"),
    with its source, in Swedish where the entry has a Swedish text."""
    from django.utils.translation import get_language

    from facit.directory.seed import swedish_texts

    entry = _urgent_entry()
    if entry is None:
        return None
    lang, notes = "en", entry["notes"]
    if (get_language() or "sv").startswith("sv") and swedish_texts().get(notes):
        lang, notes = "sv", swedish_texts()[notes]
    marker = URGENT_MARKER[lang]
    sentence = notes[notes.index(marker) :] if marker in notes else notes
    return {"text": sentence, "sources": entry["sources"], "name": entry["name"], "lang": lang}


@role_required(roles.EDITOR)
def duty_text_edit(request: HttpRequest) -> HttpResponse:
    current = duty_text_current()
    initial = {}
    if current is not None:
        initial = {
            "summary": current.summary,
            "legal_reference": current.legal_reference,
            "sources": "\n".join(current.sources),
        }
    form = DutyTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        duty_text_create(
            summary=form.cleaned_data["summary"],
            legal_reference=form.cleaned_data["legal_reference"],
            sources=form.source_list(),
            actor=request_actor(request),
        )
        messages.success(request, _("A new version is shown in the referral guide."))
        return redirect("directory:referral_guide")
    from facit.directory.models import DutyToReportText

    versions = DutyToReportText.objects.select_related("created_by")[:20]
    return render(request, "directory/duty_text_edit.html", {"form": form, "versions": versions})


# --------------------------------------------------------------------------- HSDS import


@role_required(roles.EDITOR)
def hsds_import_view(request: HttpRequest) -> HttpResponse:
    """Upload an HSDS dataset; the same checks and service as `manage.py hsds_import`."""
    import tempfile
    from pathlib import Path

    from facit.directory.hsds import HsdsValidationError
    from facit.directory.hsds_messages import counts_of, problem_of
    from facit.directory.services import hsds_import

    form = HsdsImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = ".zip" if upload.name.lower().endswith(".zip") else ".json"
        with tempfile.TemporaryDirectory(prefix="facit-hsds-") as folder:
            path = Path(folder) / f"upload{suffix}"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                summary = hsds_import(
                    path=path, actor=request_actor(request), strict=form.cleaned_data["strict"]
                )
            except HsdsValidationError as exc:
                context["refused"] = [problem_of(e) for e in exc.errors]
            else:
                context["counts"] = counts_of(summary.counts)
                context["warnings"] = [problem_of(w) for w in summary.warnings]
        context["file_name"] = upload.name
        context["strict"] = form.cleaned_data["strict"]
    response = render(request, "directory/hsds_import.html", context)
    add_never_cache_headers(response)  # not _private: no-referrer would send Origin: null
    return response


# --------------------------------------------------------------------------- Barnahus


def barnahus_list(request: HttpRequest) -> HttpResponse:
    """Every Barnahus recorded, the map of coverage with its table, the network's facts."""
    points = coverage_map()
    counts = {s: sum(1 for p in points if p.status == s) for s in ("covered", "gap", "none")}
    context = {
        "barnahus": Barnahus.objects.prefetch_related("municipalities"),
        "points": points,
        "counts": counts,
        "map_height": map_height(),
        "notes": BarnahusNote.objects.prefetch_related("municipalities"),
    }
    return render(request, "directory/barnahus_list.html", context)


def barnahus_detail(request: HttpRequest, barnahus_id: str) -> HttpResponse:
    barnahus = get_object_or_404(Barnahus, pk=barnahus_id)
    municipalities = barnahus.municipalities.select_related("county").order_by("name")
    return render(
        request,
        "directory/barnahus_detail.html",
        {"barnahus": barnahus, "municipalities": municipalities},
    )


# --------------------------------------------------------------------------- intervention page


def intervention_section(request: HttpRequest, intervention: Any) -> str:
    """Who delivers this intervention; nearest first when ?municipality= is given."""
    services = Service.objects.published().filter(interventions=intervention)
    if not services.exists():
        return ""
    place_query = request.GET.get("municipality", "").strip()
    error = ""
    hits: list[Any] = []
    if place_query:
        try:
            place = municipality_resolve(place_query)
            from facit.directory.search import nearest_first

            hits = nearest_first(services, place)
        except UnknownMunicipality as exc:
            error = _unknown_message(exc)
    if not hits:
        hits = [(s, None) for s in services.select_related("organization")]
    return render_to_string(
        "directory/_intervention_section.html",
        {"hits": hits, "place_query": place_query, "error": error},
        request=request,
    )

"""People pages: list with search and filters, export, detail with history, forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import hooks
from dangjian.accounts.decorators import requires
from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.audit.exports import export_recorded, live_filters
from dangjian.core import crypto, services
from dangjian.core.exports import person_export_headers, person_export_rows
from dangjian.core.forms import (
    CadreForm,
    DemocraticPartyForm,
    LeaveSchoolForm,
    MembershipAdmitForm,
    PersonFilterForm,
    PersonForm,
    StandingForm,
    UnmaskedExportForm,
)
from dangjian.core.models import Membership, OrgKind, Person
from dangjian.core.selectors import (
    get_org_for,
    get_person_for,
    is_party_member,
    membership_as_of,
    organizations_within,
    person_history,
    person_list,
    person_list_total,
    person_positions,
)
from dangjian.kit.access_rules import access_rule, anywhere, within
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.kit.requests import is_htmx
from dangjian.kit.transitions import posted_state
from dangjian.kit.xlsx import xlsx_response

P = Permission


def _scope(request: HttpRequest) -> Any:
    return scope_of(request)


def _filtered_people(request: HttpRequest) -> tuple[PersonFilterForm, Any]:
    form, filters = _people_filters(request)
    return form, person_list(_scope(request), **filters)


def _people_filters(request: HttpRequest) -> tuple[PersonFilterForm, dict[str, Any]]:
    scope = _scope(request)
    form = PersonFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "query": data.get("q") or "",
            "political_status": data.get("political_status") or "",
            "person_type": data.get("person_type") or "",
            "unit": data.get("unit") or "",
        }
        if data.get("org"):
            filters["org"] = get_org_for(scope, data["org"], P.VIEW_PEOPLE)
    return form, filters


@access_rule(anywhere(Permission.VIEW_PEOPLE))
@login_required
@requires(P.VIEW_PEOPLE)
def person_list_view(request: HttpRequest) -> HttpResponse:
    form, filters = _people_filters(request)
    scope = _scope(request)
    people = person_list(scope, **filters)
    # By organization and status only (the usual list), the counter table knows the total: no COUNT.
    total = CappedPaginator(people, 30, known_count=lambda: person_list_total(scope, **filters))
    page = total.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "badges": person_badges([p.pk for p in page.object_list]),
        "title": _("人员"),
        "query_string": request.GET.urlencode(),
        "can_create": _scope(request).has(P.MANAGE_PEOPLE),
        "can_export": _scope(request).has(P.EXPORT),
        "can_export_unmasked": _scope(request).has(P.EXPORT) and _scope(request).has(P.VIEW_PII),
        "can_import_members": _scope(request).has(P.MANAGE_MEMBERSHIPS),
    }
    template = "core/person_list.html#results" if is_htmx(request) else "core/person_list.html"
    return render(request, template, context)


def _exportable_people(request: HttpRequest) -> Any:
    """The list's own rows (same filter code), within the part of the tree the viewer may export."""
    _form, people = _filtered_people(request)
    return people.filter(_scope(request).q(P.EXPORT, "organization__path"))


def _people_file(request: HttpRequest, *, unmasked: bool, reason: str = "") -> FileResponse:
    scope = _scope(request)
    return export_recorded(  # type: ignore[no-any-return]
        actor=request.user,
        action="person.export_unmasked" if unmasked else "person.export",
        filters=live_filters(request),
        rows=person_export_rows(scope, _exportable_people(request), unmasked=unmasked),
        write=lambda rows: xlsx_response(
            f"people-{timezone.localdate():%Y%m%d}.xlsx", person_export_headers(), rows
        ),
        reason=reason,
    )


@access_rule(anywhere(Permission.EXPORT))
@login_required
@requires(P.EXPORT)
def person_export(request: HttpRequest) -> FileResponse:
    """The people list on screen as a file: same rows, ID number and phone masked for every role."""
    return _people_file(request, unmasked=False)


@access_rule(anywhere(Permission.VIEW_PII))
@login_required
@requires(P.VIEW_PII)
@requires(P.EXPORT)
def person_export_unmasked(request: HttpRequest) -> HttpResponse | FileResponse:
    """The same rows with full ID numbers and phones: only for roles that may see them (404 for others,
    like any page they may not open), only after a stated reason, which the audit event keeps."""
    form = UnmaskedExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _people_file(request, unmasked=True, reason=form.cleaned_data["reason"])
    context = {
        "form": form,
        "count": _exportable_people(request).count(),
        "filters": live_filters(request),
        "list_url": f"{reverse('core:person_list')}?{request.GET.urlencode()}",
        "title": _("导出完整身份证号和手机号码"),
    }
    return render(request, "core/person_export_unmasked.html", context)


def _parse_date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def person_badges(person_ids: list[int]) -> dict[int, list[hooks.Badge]]:
    """The badges the modules put beside these people's names (``hooks.person_badges``)."""
    badges: dict[int, list[hooks.Badge]] = {pk: [] for pk in person_ids}
    for source in hooks.person_badges.all():
        for pk, badge in source.badges(person_ids).items():
            badges[pk].append(badge)
    return badges


def person_panels(
    request: HttpRequest, scope: Any, person: Person, *, slot: str
) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of each module's piece of the person page in ``slot``; None draws nothing. A
    lazy card is a placeholder that fetches it (``person_card``) when it comes into view."""
    drawn = []
    for panel in hooks.person_panels.all():
        if panel.slot != slot:
            continue
        if panel.lazy:
            drawn.append(("core/_person_card_lazy.html", {"key": panel.key}))
        elif (context := panel.context(request, scope, person)) is not None:
            drawn.append((panel.template, context))
    return drawn


@access_rule(within(Permission.VIEW_PEOPLE))
@login_required
def person_card(request: HttpRequest, person_id: int, key: str) -> HttpResponse:
    """A module's lazy card of the person page (``hooks.PersonPanel.lazy``); nothing when the module has
    nothing to show this viewer, 404 for a person out of scope or a key that is no lazy card."""
    panel = hooks.person_panels.get(key) if key in hooks.person_panels else None
    if panel is None or not panel.lazy:
        raise Http404
    scope = _scope(request)
    person = get_person_for(scope, person_id)
    context = panel.context(request, scope, person)
    if context is None:
        return HttpResponse("")
    return render(request, panel.template, {"panel": context, "person": person})


@access_rule(within(Permission.VIEW_PEOPLE))
@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    scope = _scope(request)
    person = get_person_for(scope, person_id)
    org_path = person.organization.path if person.organization else "~"
    as_of = _parse_date(request.GET.get("as_of"))
    show_id = scope.covers(P.VIEW_PII, org_path) or person.pk == scope.person_id
    membership = getattr(person, "membership", None) if hasattr(person, "membership") else None
    context = {
        "person": person,
        "membership": membership,
        # The other modules' buttons and badges (``hooks.person_panels``): each module draws its own link
        # only when its own door opens (no dead links).
        "person_actions": person_panels(request, scope, person, slot="actions"),
        "person_cards": person_panels(request, scope, person, slot="cards"),
        "cadre": getattr(person, "cadre", None) if hasattr(person, "cadre") else None,
        "positions": person_positions(person),
        "as_of": as_of,
        "membership_then": membership_as_of(person, as_of) if as_of else None,
        "positions_then": person_positions(person, as_of=as_of) if as_of else None,
        "id_number": crypto.decrypt(person.id_number_encrypted)
        if show_id and person.id_number_encrypted
        else person.id_number_masked,
        "can_edit": scope.covers(P.MANAGE_PEOPLE, org_path),
        "can_manage_membership": scope.covers(P.MANAGE_MEMBERSHIPS, org_path),
        # 办理离校: for non-members still on the roll (a member leaves through the transfer first)
        "can_leave": person.left_on is None and not is_party_member(person),
        "democratic_parties": list(person.democratic_party_memberships.all()),
        "title": person.name,
    }
    return render(request, "core/person_detail.html", context)


@access_rule(within(Permission.VIEW_PEOPLE))
@login_required
def person_history_view(request: HttpRequest, person_id: int) -> HttpResponse:
    """The person page's 变更历史 card, fetched when it comes into view (a page of its own without htmx)."""
    person = get_person_for(_scope(request), person_id)
    template = "core/person_history.html" + ("#timeline" if is_htmx(request) else "")
    context = {"person": person, "history": person_history(person), "title": _("变更历史")}
    return render(request, template, context)


def _person_orgs(request: HttpRequest) -> Any:
    return (
        organizations_within(_scope(request), P.MANAGE_PEOPLE)
        .filter(is_active=True, kind=OrgKind.BRANCH)
        .order_by("path")
    )


def _person_url(person: Person) -> str:
    return reverse("core:person_detail", args=[person.pk])


@access_rule(anywhere(Permission.MANAGE_PEOPLE))
@login_required
@requires(P.MANAGE_PEOPLE)
def person_create(request: HttpRequest) -> HttpResponse:
    return service_form_page(
        request,
        PersonForm(request.POST or None, orgs=_person_orgs(request)),
        action=lambda data: services.person_create(actor=request.user, **data),
        success=lambda person: _("已登记 %(n)s。") % {"n": person.name},
        next_url=_person_url,
        context={"title": _("登记人员")},
    )


@access_rule(within(Permission.MANAGE_PEOPLE))
@login_required
@requires(P.MANAGE_PEOPLE)
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_person_for(_scope(request), person_id, P.MANAGE_PEOPLE)
    initial = {f: getattr(person, f) for f in services.PERSON_FIELDS}
    form = PersonForm(
        request.POST or None,
        initial=initial,
        orgs=_person_orgs(request),
        require_id=not person.id_number_encrypted,
    )
    form.fields["id_number"].help_text = _("已登记：%(m)s。留空则不修改。") % {
        "m": person.id_number_masked or "—"
    }
    return service_form_page(
        request,
        form,
        action=lambda data: services.person_update(actor=request.user, person=person, **data),
        success=_("已保存。"),
        next_url=_person_url,
        context={"title": _("编辑 %(n)s") % {"n": person.name}},
    )


@access_rule(within(Permission.MANAGE_MEMBERSHIPS))
@login_required
@requires(P.MANAGE_MEMBERSHIPS)
def membership_admit(request: HttpRequest, person_id: int) -> HttpResponse:
    scope = _scope(request)
    person = get_person_for(scope, person_id, P.MANAGE_MEMBERSHIPS)
    if Membership.objects.filter(person=person).exists():
        raise Http404
    branches = organizations_within(scope, P.MANAGE_MEMBERSHIPS).filter(is_active=True, kind=OrgKind.BRANCH)
    return service_form_page(
        request,
        MembershipAdmitForm(
            request.POST or None,
            branches=branches.order_by("path"),
            initial={"organization": person.organization_id},
        ),
        action=lambda data: services.membership_admit_existing(actor=request.user, person=person, **data),
        success=_("已建立党员档案。"),
        next_url=_person_url(person),
        context={
            "title": _("为 %(n)s 建立党员档案") % {"n": person.name},
            "help": _("用于平台启用前已入党的党员；新发展的党员由发展党员流程自动建立档案。"),
        },
    )


@access_rule(within(Permission.MANAGE_MEMBERSHIPS))
@login_required
@requires(P.MANAGE_MEMBERSHIPS)
def membership_standing(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_person_for(_scope(request), person_id, P.MANAGE_MEMBERSHIPS)
    membership = Membership.objects.filter(person=person).first()
    if membership is None:
        raise Http404
    initial = {
        "standing": membership.standing,
        "since": timezone.localdate(),
        "flow_destination": membership.flow_destination,
    }
    return service_form_page(
        request,
        StandingForm(request.POST or None, initial=initial),
        action=lambda data: services.membership_change_standing(
            actor=request.user, membership=membership, expected_status=posted_state(request), **data
        ),
        success=_("党籍状态已更新。"),
        next_url=_person_url(person),
        context={"title": _("%(n)s 的党籍状态") % {"n": person.name}},
        state=membership.standing,
    )


@access_rule(within(Permission.MANAGE_PEOPLE))
@login_required
@requires(P.MANAGE_PEOPLE)
def cadre_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    scope = _scope(request)
    person = get_person_for(scope, person_id, P.MANAGE_PEOPLE)
    cadre = getattr(person, "cadre", None) if hasattr(person, "cadre") else None
    initial = {f: getattr(cadre, f) for f in services.CADRE_FIELDS} if cadre else {"unit": person.unit}
    branches = organizations_within(scope).filter(is_active=True, kind=OrgKind.BRANCH).order_by("path")
    return service_form_page(
        request,
        CadreForm(request.POST or None, initial=initial, branches=branches),
        action=lambda data: services.cadre_set(actor=request.user, person=person, **data),
        success=_("干部信息已保存。"),
        next_url=_person_url(person),
        context={"title": _("%(n)s 的干部信息") % {"n": person.name}},
    )


@access_rule(within(Permission.MANAGE_PEOPLE))
@login_required
@requires(P.MANAGE_PEOPLE)
def person_leave(request: HttpRequest, person_id: int) -> HttpResponse:
    """办理离校 for someone who is no Party member (a member's way out is the transfer of membership)."""
    person = get_person_for(_scope(request), person_id, P.MANAGE_PEOPLE)
    if request.method != "POST" and person.left_on is not None:
        raise Http404
    return service_form_page(
        request,
        LeaveSchoolForm(request.POST or None, initial={"left_on": timezone.localdate()}),
        action=lambda data: services.person_leave(actor=request.user, person=person, on=data["left_on"]),
        success=_("已办理离校。"),
        next_url=_person_url(person),
        context={
            "title": _("%(n)s 办理离校") % {"n": person.name},
            "danger": True,
            "help": _("离校后此人不再在册；满 %(y)s 年后其个人信息将被匿名化(党员不会)。")
            % {"y": settings.PERSON_ANONYMISE_AFTER_YEARS},
        },
    )


@access_rule(within(Permission.MANAGE_PEOPLE))
@login_required
@requires(P.MANAGE_PEOPLE)
def democratic_party_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_person_for(_scope(request), person_id, P.MANAGE_PEOPLE)
    return service_form_page(
        request,
        DemocraticPartyForm(request.POST or None),
        action=lambda data: services.democratic_party_set(actor=request.user, person=person, **data),
        success=_("民主党派信息已保存。"),
        next_url=_person_url(person),
        context={"title": _("%(n)s 的民主党派") % {"n": person.name}},
    )

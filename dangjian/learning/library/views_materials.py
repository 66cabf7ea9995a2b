"""学习库 pages for organizers: a new material (a checked upload), its edit form and publishing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.kit.access_rules import access_rule, anywhere, within
from dangjian.kit.errors import DomainError
from dangjian.kit.form_pages import service_form_page
from dangjian.learning.access import organizer_scope
from dangjian.learning.library import selectors, services
from dangjian.learning.library.forms import MaterialForm


@access_rule(anywhere(Permission.MANAGE_TRAINING))
@login_required
def material_new(request: HttpRequest) -> HttpResponse:
    scope = organizer_scope(request)
    form = MaterialForm(
        request.POST or None, request.FILES or None, organizations=selectors.publishers_for(scope)
    )
    return service_form_page(
        request,
        form,
        action=lambda d: services.material_create(
            actor=request.user,
            scope=scope,
            organization=d["organization"],
            title=d["title"],
            kind=d["kind"],
            topic=d["topic"],
            audiences=list(d["audiences"]),
            summary=d.get("summary") or "",
            body=d.get("body") or "",
            url=d.get("url") or "",
            upload=d.get("file"),
        ),
        success=_("已上传学习资料，发布后学员可见"),
        next_url=lambda m: reverse("learning:material", args=[m.pk]),
        context={"title": _("上传学习资料"), "multipart": True},
    )


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
def material_edit(request: HttpRequest, material_id: int) -> HttpResponse:
    scope = scope_of(request)
    material = selectors.get_managed_material(scope, material_id)
    initial = {k: getattr(material, k) for k in ("title", "topic", "audiences", "summary", "body", "url")}
    form = MaterialForm(request.POST or None, organizations=[], editing=True, initial=initial)
    return service_form_page(
        request,
        form,
        action=lambda d: services.material_update(
            actor=request.user,
            scope=scope,
            material=material,
            title=d["title"],
            topic=d["topic"],
            audiences=list(d["audiences"]),
            summary=d.get("summary") or "",
            body=d.get("body") or "",
            url=d.get("url") or "",
        ),
        success=_("已保存"),
        next_url=reverse("learning:material", args=[material.pk]),
        context={"title": _("修改学习资料：%(t)s") % {"t": material.title}},
    )


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
@require_POST
def material_publish(request: HttpRequest, material_id: int) -> HttpResponse:
    scope = scope_of(request)
    material = selectors.get_managed_material(scope, material_id)
    publish = request.POST.get("published") != "0"
    try:
        services.material_publish(actor=request.user, scope=scope, material=material, published=publish)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已发布") if publish else _("已撤回发布"))
    return redirect("learning:material", material.pk)

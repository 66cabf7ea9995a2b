"""Who may act on 党校 training: one predicate per decision, asked by the services (which refuse), the
pages (which draw or answer 404) and the to-dos alike; ``Scope.system()`` for the platform itself.

The link rules of ``hooks.links`` at the end take the request and ask the same predicates (a link is
drawn only when the viewer may open it; the view answers 404 with the same predicate)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization
from dangjian.hooks.links import link_rule

P = Permission


def may_manage(scope: Scope, org: Organization) -> bool:
    """Classes organized at ``org`` (create, edit, enrol, results, close), and people of ``org`` enrolled:
    whoever manages training there."""
    return scope.covers(P.MANAGE_TRAINING, org.path)


def manage_q(scope: Scope, path_field: str = "organizer__path") -> Q:
    """The classes (or rows) where ``may_manage`` holds."""
    return scope.q(P.MANAGE_TRAINING, path_field)


def organizer_scope(request: HttpRequest) -> Scope:
    """The scope of a user who manages training somewhere: the 学习库's organizer pages that are not
    about one object (new material, course or plan; the plans). Anyone else gets 404."""
    scope = scope_of(request)
    if not scope.has(P.MANAGE_TRAINING):
        raise Http404
    return scope


# ---------------------------------------------------------------- link rules (hooks.links)


@link_rule("learning:class_export")
def may_export_class(request: HttpRequest, training_class: Any) -> bool:
    """The roster with results and certificates, for whoever may export at the organizer."""
    return scope_of(request).covers(P.EXPORT, training_class.organizer.path)


def may_import(request: HttpRequest) -> bool:
    """The import pages (template, upload, commit) of the module's Excel import."""
    return scope_of(request).has(P.MANAGE_TRAINING)

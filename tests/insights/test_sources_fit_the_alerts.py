"""Every registered warning source with findings answers cases that the 预警 centre can store: a key,
summary and rule within the columns of ``Alert``, a known level, an existing organization, a path."""

from __future__ import annotations

from datetime import date

from dangjian import hooks
from dangjian.core.models import Organization
from dangjian.insights.models import Alert, AlertLevel


def test_every_sources_findings_fit_the_alert_columns(world) -> None:
    limits = {name: Alert._meta.get_field(name).max_length for name in ("key", "summary", "rule", "url")}
    orgs = set(Organization.objects.values_list("pk", flat=True))
    seen: set[str] = set()
    for source in hooks.warnings.all():
        if source.findings is None:
            continue
        keys = []
        for finding in source.findings(date(2030, 11, 20)):
            seen.add(source.code)
            keys.append(finding.key)
            for name, limit in limits.items():
                assert len(getattr(finding, name)) <= limit, (source.code, name)
            assert finding.level in AlertLevel.values and finding.organization_id in orgs
            assert finding.url.startswith("/") and finding.summary and finding.rule
        assert len(keys) == len(set(keys)), source.code  # one finding per case
    # The world in 2030: terms overdue, branches too small, no plans, nobody in touch, nobody studying.
    assert {"core.term", "core.branch_size", "orglife.plan_missing", "insights.lost_contact"} <= seen
    assert "learning.behind" in seen

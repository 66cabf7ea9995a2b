"""The indices as the platform first defines them, before a school edits them.

The seed (杨乾龙, 魏群义 2023) names 基本状况指数, 凝聚力指数 and 吸引力指数 but publishes no definition
(../shared/DOMAIN.md §10), so these are a starting point [local practice]: each school edits them on the
index page, and every edit is a new version with the date it takes effect. Each component scores an
indicator 0 at ``zero`` and 100 at ``full`` (linear between, clamped); for an indicator where lower is
better ``zero`` is larger than ``full``.
"""

from __future__ import annotations

from typing import Any

from dangjian.insights.models import IndexCode

DEFAULT_EFFECTIVE_FROM = "2000-01-01"

DEFAULTS: dict[str, list[dict[str, Any]]] = {
    # 基本状况: the organization is built and runs as the rules ask (支部条例: committee, term,
    # the required meetings with their minutes, dues).
    IndexCode.BASIC: [
        {"indicator": "core.committee_complete", "weight": 0.2, "zero": 0, "full": 1},
        {"indicator": "core.term_on_time", "weight": 0.15, "zero": 0, "full": 1},
        {"indicator": "orglife.meetings_held", "weight": 0.3, "zero": 0.5, "full": 1},
        {"indicator": "orglife.minutes_on_time", "weight": 0.15, "zero": 0.5, "full": 1},
        {"indicator": "dues.paid_on_time", "weight": 0.2, "zero": 0.6, "full": 1},
    ],
    # 凝聚力: the members take part (attendance, study against the 32 hours, 党课 by the secretary,
    # supervision's view of the meetings, 志愿服务 — half of the members serving in the period is full
    # marks).
    IndexCode.COHESION: [
        {"indicator": "orglife.attendance_rate", "weight": 0.3, "zero": 0.5, "full": 0.95},
        {"indicator": "learning.study_pace", "weight": 0.3, "zero": 0.3, "full": 1},
        {"indicator": "orglife.secretary_lecture", "weight": 0.1, "zero": 0, "full": 1},
        {"indicator": "orglife.supervision_score", "weight": 0.2, "zero": 60, "full": 95},
        {"indicator": "volunteer.participation", "weight": 0.1, "zero": 0, "full": 0.5},
    ],
    # 吸引力: people want to join and the pipeline keeps its time (applicants per member, recruitment
    # on time, 党校 results), and the members read what is published for them (智慧宣传's reach: half
    # of the offered (member, article) pairs read scores full).
    IndexCode.ATTRACTION: [
        {"indicator": "recruitment.applicant_ratio", "weight": 0.35, "zero": 0, "full": 0.5},
        {"indicator": "recruitment.on_time", "weight": 0.25, "zero": 0.5, "full": 1},
        {"indicator": "learning.training_pass", "weight": 0.25, "zero": 0.6, "full": 1},
        {"indicator": "news.reach", "weight": 0.15, "zero": 0, "full": 0.5},
    ],
}

"""The API of 评价与预警 (/api/v1/): one router, one block per part of the module."""

from ninja import Router

from dangjian.insights.warnings.api import router as warnings_router

router = Router(tags=["insights"])

# ---- 预警 centre (insights.warnings): GET /warnings
router.add_router("", warnings_router)

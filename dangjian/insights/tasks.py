"""评价与预警's periodic jobs, where the worker's autodiscovery looks (an installed app's ``tasks``
module): one import per part of the module."""

from dangjian.insights.indices.tasks import compute_indices
from dangjian.insights.warnings.tasks import sync_alerts

__all__ = ["compute_indices", "sync_alerts"]

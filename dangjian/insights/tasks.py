"""评价与预警's background tasks, imported here so that Celery's autodiscovery finds them."""

from dangjian.insights.indices.tasks import compute_indices

__all__ = ["compute_indices"]

"""Background jobs with progress: ``jobs.services.job_start(kind=..., user=..., params=...)``."""

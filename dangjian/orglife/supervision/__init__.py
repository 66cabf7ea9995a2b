"""督查: the supervisor pool, reproducible random draws, graded feedback, problems and their 整改, and the
feedback report (HTML, PDF, Excel)."""

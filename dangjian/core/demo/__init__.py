"""Demo data for 示范大学: a fictional university (see seed_demo)."""

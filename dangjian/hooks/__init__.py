"""Extension points: typed registries the platform reads and modules fill from their ``contributions.py``."""

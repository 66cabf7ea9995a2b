"""A module made of nothing but ``contributions.py`` and its templates (installed by the test settings).

It proves that a module plugs into every extension point without an edit anywhere else. Its pieces show
only while the setting ``DUMMY_MODULE_ON`` is true, so the rest of the suite does not see it.
"""

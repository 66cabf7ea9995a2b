"""The one 预警 centre: every module's warning sources (``hooks.warnings``) stored as ``insights.Alert``
by a nightly run, handled by people (open → 处理中 → closed with a note), shown, filtered, exported and
counted on the 工作台. A warning informs; it never changes anyone's membership or status."""

"""领导驾驶舱 (issue 16): an organization's children compared, its own last 12 months, its summary."""

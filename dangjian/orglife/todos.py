"""组织生活 in the to-do centre (providers registered below)."""

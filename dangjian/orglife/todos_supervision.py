"""督查 in the to-do centre."""

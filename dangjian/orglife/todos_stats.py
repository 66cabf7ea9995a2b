"""Compliance warnings (6 months without organizational life) in the to-do centre."""

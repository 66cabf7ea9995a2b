"""党员学习 and 党校: training classes (班次), enrolments, results, certificates and the study-hour ledger."""

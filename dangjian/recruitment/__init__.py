"""发展党员 (issue 6). So far: the timing rules and vote checks, pure and table-tested (rules.py) and the
working-day calendar (workdays.py); the case model, steps as data and the pages come next."""

"""The one study-hour ledger per person and year (DOMAIN §6): every source writes rows naming itself,
so nothing counts twice; targets, pace, the pages that read it and the monthly reminder."""

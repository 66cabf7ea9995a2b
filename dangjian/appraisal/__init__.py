"""民主评议党员: the yearly democratic appraisal of each branch's members (DOMAIN §10)."""

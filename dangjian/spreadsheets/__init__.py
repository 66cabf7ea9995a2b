"""The Excel engine: declare an ImportSpec per entity; templates, dry run with row errors, commit, export."""

"""`tfprep drill` commands (placeholder until implemented)."""

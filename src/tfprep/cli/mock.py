"""`tfprep mock` commands (placeholder until implemented)."""

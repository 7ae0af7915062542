"""`tfprep stats` commands (placeholder until implemented)."""

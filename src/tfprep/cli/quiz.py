"""`tfprep quiz` commands (placeholder until implemented)."""

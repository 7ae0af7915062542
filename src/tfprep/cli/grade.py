"""`tfprep grade` commands (placeholder until implemented)."""

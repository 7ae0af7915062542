"""`tfprep bank` commands (placeholder until implemented)."""

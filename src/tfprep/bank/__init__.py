"""Markdown question banks → cards. Pure: no files are opened here except by `load`."""

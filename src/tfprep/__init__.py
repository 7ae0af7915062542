"""tfprep: a command-line coach for Transformer / LLM interviews."""

__version__ = "0.1.0"

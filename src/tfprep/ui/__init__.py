"""Terminal rendering (Rich) and key input for the quiz, stats and dashboard. Heavy imports stay inside functions."""

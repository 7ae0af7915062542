"""Grading: run a hidden pytest suite against a submission it never imports, and explain the verdict.

Process picture (see SECURITY.md):
  tfprep (CLI, light) --sandbox.py--> judge (pytest + hidden suite + float64 references)
                                        └─fork─> worker (imports the submission, answers calls over a socket)
"""

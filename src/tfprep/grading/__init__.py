"""Grading: run a hidden pytest suite against a submission it never imports, and explain the verdict.

Process picture (see SECURITY.md):
  tfprep (CLI, light) --judges.py--> judge.py (pytest + hidden suite + float64 references)
                                        └─ sandbox.py: zygote ─fork─> worker.py (imports the submission,
                                                                      answers calls over a socket)
  processes.py ends whatever is left behind.
"""

from tfprep.content import solutions_dir

exec((solutions_dir() / "attention.py").read_text())

"""The worker's read-only view (grading/landlock.py): what is carved out, and that it holds in a process."""

from __future__ import annotations

import os
import sys

import pytest

from tfprep.grading import landlock


def test_a_root_holding_a_hidden_folder_is_carved(tmp_path):
    site = tmp_path / "venv" / "lib" / "site-packages"
    (site / "tfprep" / "_content" / "solutions").mkdir(parents=True)
    (site / "numpy").mkdir()
    (site / "tfprep" / "cli.py").write_text("")
    (tmp_path / "venv" / "lib64").symlink_to(tmp_path / "venv" / "lib")  # as venvs have it
    hidden = [site / "tfprep" / "_content"]
    allowed = landlock.rules([tmp_path / "venv"], hidden)
    assert site / "numpy" in allowed and site / "tfprep" / "cli.py" in allowed
    assert all(not (p == hidden[0] or hidden[0] in p.parents or p in hidden[0].parents) for p in allowed)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Landlock is Linux's")
def test_a_restricted_process_cannot_read_hidden_files(tmp_path):
    secret = tmp_path / "checkout" / "solutions" / "ref.py"
    secret.parent.mkdir(parents=True)
    secret.write_text("THE ANSWER")
    public = tmp_path / "checkout" / "src" / "ok.py"
    public.parent.mkdir(parents=True)
    public.write_text("fine")
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child restricts itself and reports what it could read
        os.close(r)
        try:
            on = landlock.forbid_reading_all_but([tmp_path / "checkout"], [secret.parent])
            seen = []
            for path in (secret, public):
                try:
                    seen.append(path.read_text())
                except OSError:
                    seen.append("denied")
            os.write(w, f"{on}|{seen[0]}|{seen[1]}".encode())
        finally:
            os._exit(0)
    os.close(w)
    out = os.read(r, 1000).decode()
    os.waitpid(pid, 0)
    on, secret_read, public_read = out.split("|")
    if on != "True":
        pytest.skip("this kernel has no Landlock")
    assert secret_read == "denied" and public_read == "fine"

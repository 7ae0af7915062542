"""The built wheel carries its content: install it into a clean venv and use it from another directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_runs_from_elsewhere(tmp_path: Path):
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next(dist.glob("tfprep-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    # Dependencies come from this interpreter's site-packages, *after* the venv's own (a plain path line:
    # .pth files there, such as an editable tfprep, are not processed), so the wheel's tfprep is the one used.
    purelib = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)],
        check=True,
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "TFPREP_CONTENT_DIR")}
    env["TFPREP_HOME"] = str(tmp_path / "home")

    def tfprep(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [py, "-m", "tfprep", *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300
        )

    where = subprocess.run(
        [py, "-c", "import tfprep; print(tfprep.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(env_dir) in where, f"the wheel's tfprep is not the one imported: {where}"
    assert tfprep("--version").stdout.startswith("tfprep ")
    drills = json.loads(tfprep("drill", "list", "--json").stdout)["drills"]
    assert {"attention"} <= {d["name"] for d in drills}
    bank = tfprep("bank", "check", str(Path(where).parent / "_content" / "questions" / "en"), "--json")
    assert bank.returncode == 0 and len(json.loads(bank.stdout)["cards"]) >= 80
    # the --help examples name the built-in banks, so they work outside the repo too
    builtin = tfprep("bank", "check", "builtin:en", "--json")
    assert builtin.returncode == 0 and len(json.loads(builtin.stdout)["cards"]) >= 80, builtin.stderr
    anki = tfprep("bank", "export", "builtin:zh", "--format", "anki")
    assert (
        anki.returncode == 0 and anki.stdout.count("\ntfprep:zh.") >= 80  # one note per card, with its GUID
    )
    start = tfprep("drill", "attention", "--no-editor", "--lang", "en")
    assert start.returncode == 0, start.stderr
    starter = Path(env["TFPREP_HOME"]) / "workspace" / "attention.py"
    solution = Path(where).parent / "_content" / "solutions" / "attention.py"
    starter.write_text(solution.read_text())
    graded = tfprep("grade", "--json")
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert json.loads(graded.stdout)["verdict"] == "accepted"

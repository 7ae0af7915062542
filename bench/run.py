"""tfprep's benchmarks: timing ratios against the cost of the libraries themselves.

Each ratio is the median of A/B over interleaved runs (A, B, A, B, …) on this machine, so load and drift
affect both sides; the seconds shown are the medians of each side.

    python bench/run.py                 # startup, cold grades (3 drills), warm re-grade, bank parse
    python bench/run.py --all-drills    # cold grade of every drill's reference
    python bench/run.py --repeats 9

Goals (issues 2 and 4): `tfprep --help` ≤ 1.25× `python -c "import typer, rich.console"`; a cold
`tfprep grade` ≤ 1.5× `python -c "import torch, pytest"` (PyTorch drills) or `import numpy, pytest`
(NumPy drills; plain-Python drills are shown against the same baseline, with no goal); a warm re-grade in `--watch` (file saved → JSON line) ≤ 0.25× a cold grade of
the attention reference; `tfprep bank check` of a 10,000-card bank ≤ 2× a bare markdown-it-py parse.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import selectors
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

PY = sys.executable
TFPREP = [PY, "-m", "tfprep"]


def timed(cmd: list[str], env: dict, cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def interleaved(a: list[str], b: list[str], repeats: int, env: dict, cwd: str) -> tuple[float, float, float]:
    """Median time of a, median time of b, and the median of the ratios a/b of runs made back to back
    (this VM's speed drifts by ±20 % over seconds; a pair of neighbouring runs sees the same phase)."""
    timed(a, env, cwd), timed(b, env, cwd)  # warm the disk cache once
    ta, tb = [], []
    for _ in range(repeats):
        ta.append(timed(a, env, cwd))
        tb.append(timed(b, env, cwd))
    ratio = statistics.median(x / y for x, y in zip(ta, tb, strict=True))
    return statistics.median(ta), statistics.median(tb), ratio


def row(name: str, value: float, goal: float | None, unit: str = "×", detail: str = "") -> dict:
    return {"name": name, "value": round(value, 3), "goal": goal, "unit": unit, "detail": detail}


def bench_startup(repeats: int, env: dict, cwd: str) -> dict:
    t_help, t_base, ratio = interleaved(
        [*TFPREP, "--help"], [PY, "-c", "import typer, rich.console"], repeats, env, cwd
    )
    return row(
        "tfprep --help / import typer, rich.console",
        ratio,
        1.25,
        detail=f"{t_help:.3f} s vs {t_base:.3f} s",
    )


def bench_cold(slug: str, repeats: int, env: dict, cwd: str, starter: bool = False) -> dict:
    """A cold `tfprep grade` of the reference, or of the untouched starter (every test fails: the first
    grade of every drill)."""
    from tfprep.grading.drills import find_drill

    d = find_drill(slug)
    base = "import torch, pytest" if d.framework == "torch" else "import numpy, pytest"
    file = d.starter if starter else d.solution
    t_grade, t_base, ratio = interleaved(
        [*TFPREP, "grade", slug, "--file", str(file), "--json"], [PY, "-c", base], repeats, env, cwd
    )
    goal = 1.5 if d.framework in ("torch", "numpy") else None  # issue 4 sets none for plain-Python drills
    what = f"{slug} starter" if starter else slug
    return row(f"cold grade {what} / {base}", ratio, goal, detail=f"{t_grade:.3f} s vs {t_base:.3f} s")


def bench_watch(repeats: int, env: dict, cwd: str) -> dict:
    """Save the file, wait for the JSON line: the loop a candidate repeats."""
    from tfprep.grading.drills import find_drill

    d = find_drill("attention")
    work = Path(cwd) / "attention.py"
    source = d.solution.read_text()
    work.write_text(source)
    proc = subprocess.Popen(
        [*TFPREP, "grade", "attention", "--file", str(work), "--watch", "--json"],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)

    def next_line(timeout: float = 120.0) -> dict:
        if not sel.select(timeout):
            raise RuntimeError("no result from --watch")
        return json.loads(proc.stdout.readline())

    try:
        assert next_line()["verdict"] == "accepted"
        warm = []
        for i in range(repeats):
            time.sleep(0.3)
            start = time.perf_counter()
            work.write_text(source + f"\n# edit {i}\n")
            line = next_line()
            warm.append(time.perf_counter() - start)
            assert line["verdict"] == "accepted", line
    finally:
        proc.send_signal(2)
        proc.wait(timeout=20)
    cold = [
        timed([*TFPREP, "grade", "attention", "--file", str(d.solution), "--json"], env, cwd)
        for _ in range(repeats)
    ]
    w, c = statistics.median(warm), statistics.median(cold)
    return row(
        "watch re-grade attention / cold grade attention", w / c, 0.25, detail=f"{w:.3f} s vs {c:.3f} s"
    )


def compile_sources() -> None:
    """Write the bytecode of tfprep and its content, as `pip install` does. An editable checkout run with
    PYTHONDONTWRITEBYTECODE=1 has none, and would be timed compiling itself on every run."""
    import compileall

    import tfprep
    from tfprep import content

    for folder in (Path(tfprep.__file__).parent, content.grader_dir(), content.solutions_dir()):
        compileall.compile_dir(folder, quiet=1)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    load = f", load {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    return f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}{load}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--all-drills", action="store_true", help="cold-grade every drill's reference")
    parser.add_argument("--only", choices=["startup", "cold", "watch", "bank"], action="append")
    parser.add_argument("--json", action="store_true")
    opts = parser.parse_args()
    only = set(opts.only or ["startup", "cold", "watch", "bank"])
    home = tempfile.mkdtemp(prefix="tfprep-bench-")
    env = dict(os.environ, TFPREP_HOME=home, COLUMNS="100")
    rows = []
    compile_sources()
    try:
        if "startup" in only:
            rows.append(bench_startup(opts.repeats, env, home))
        if "cold" in only:
            from tfprep.grading.drills import all_drills

            slugs = (
                [d.slug for d in all_drills()]
                if opts.all_drills
                else [
                    s
                    for s in ("attention", "softmax", "max-dot-product")
                    if any(d.slug == s for d in all_drills())
                ]
            )
            rows += [bench_cold(s, opts.repeats, env, home) for s in slugs]
            rows.append(bench_cold("softmax", opts.repeats, env, home, starter=True))
        if "watch" in only:
            rows.append(bench_watch(opts.repeats, env, home))
        if "bank" in only:
            import bench_bank

            rows += bench_bank.run(opts.repeats)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    if opts.json:
        print(json.dumps({"machine": machine(), "rows": rows}, indent=1))
        return
    print(f"machine: {machine()}")
    print(f"{'benchmark':58s} {'value':>8s} {'goal':>7s}  ok   detail")
    for r in rows:
        goal = r.get("goal")
        ok = "" if goal is None else ("yes" if r["value"] <= goal else "NO")
        print(
            f"{r['name']:58s} {r['value']:>7.3f}{r.get('unit', '')} {'' if goal is None else f'≤{goal:g}':>7s}  {ok:4s} {r.get('detail', '')}"
        )


if __name__ == "__main__":
    main()

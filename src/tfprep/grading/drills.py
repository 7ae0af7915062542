"""Drill metadata: drills/<slug>/drill.toml, typed. The schema, one comment per field, is in
docs/drill-authoring.md; this module reads it and nothing else."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tfprep import content
from tfprep.errors import NotFoundError, TfprepError

FRAMEWORKS = ("torch", "numpy", "python")


@dataclass(frozen=True)
class Drill:
    slug: str
    title_en: str
    title_zh: str
    topic: str
    difficulty: int  # 1 (warm-up) … 5 (hard)
    order: int  # position on the learning path (drill list sorts by it)
    framework: str  # torch | numpy | python: what the inputs are and what the judge preloads
    entries: dict[
        str, str
    ]  # name -> signature shown to the user, e.g. "(q, k, v, mask=None)" or "class (d_model, …)"
    tags: tuple[str, ...]  # bank tags of related cards (the study loop brings them forward)
    hints_en: tuple[str, ...]
    hints_zh: tuple[str, ...]
    forbidden_imports: tuple[str, ...]
    forbidden_calls: tuple[str, ...]
    time_factor: float  # a call may take this many times the reference's time …
    time_floor_s: float  # … but never less than this
    memory_mb: int  # memory the submission may use on top of the preloaded modules
    folder: Path
    expected_minutes: float | None = None  # time to solve for a review rating; None: 10 × difficulty

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def hints(self, lang: str) -> tuple[str, ...]:
        return self.hints_zh if lang == "zh" and self.hints_zh else self.hints_en

    def prompt(self, lang: str) -> str:
        path = self.folder / f"prompt.{lang}.md"
        if not path.exists():
            path = self.folder / "prompt.en.md"
        return path.read_text(encoding="utf-8")

    @property
    def starter(self) -> Path:
        return self.folder / "starter.py"

    def starter_for(self, lang: str) -> Path:
        """The starter in `lang`: starter.zh.py (the same code, its docstrings, comments and messages in
        Chinese) when there is one, else starter.py."""
        localised = self.folder / f"starter.{lang}.py"
        return localised if lang != "en" and localised.is_file() else self.starter

    @property
    def solution(self) -> Path:
        return content.solutions_dir() / f"{self.slug}.py"

    @property
    def suite(self) -> Path:
        return content.grader_dir() / self.slug

    @property
    def mistakes(self) -> Path | None:
        path = self.suite / "mistakes.py"
        return path if path.exists() else None


def load_drill(folder: Path) -> Drill:
    try:
        meta = tomllib.loads((folder / "drill.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TfprepError(f"{folder / 'drill.toml'}: {exc}") from None
    hints = meta.get("hints", [])
    limits = meta.get("limits", {})
    forbidden = meta.get("forbidden", {})
    framework = meta["framework"]
    if framework not in FRAMEWORKS:
        raise TfprepError(f"{folder / 'drill.toml'}: framework must be one of {', '.join(FRAMEWORKS)}")
    return Drill(
        slug=folder.name,
        title_en=meta["title"]["en"],
        title_zh=meta["title"].get("zh", meta["title"]["en"]),
        topic=meta["topic"],
        difficulty=int(meta["difficulty"]),
        order=int(meta.get("order", 100)),
        framework=framework,
        entries=dict(meta["entries"]),
        tags=tuple(meta.get("tags", [])),
        hints_en=tuple(h["en"] for h in hints),
        hints_zh=tuple(h.get("zh", h["en"]) for h in hints),
        forbidden_imports=tuple(forbidden.get("imports", [])),
        forbidden_calls=tuple(forbidden.get("calls", [])),
        time_factor=float(limits.get("time_factor", 10.0)),
        time_floor_s=float(limits.get("time_floor_s", 2.0)),
        memory_mb=min(int(limits.get("memory_mb", 1024)), 4096),
        folder=folder,
        expected_minutes=float(meta["expected_minutes"]) if "expected_minutes" in meta else None,
    )


@lru_cache(maxsize=1)
def all_drills() -> tuple[Drill, ...]:
    root = content.drills_dir()
    drills = [load_drill(p) for p in sorted(root.iterdir()) if (p / "drill.toml").exists()]
    return tuple(sorted(drills, key=lambda d: (d.order, d.slug)))


def find_drill(name: str) -> Drill:
    drills = {d.slug: d for d in all_drills()}
    key = name.strip().lower().replace("_", "-")
    if key in drills:
        return drills[key]
    import difflib

    close = difflib.get_close_matches(key, list(drills), n=3, cutoff=0.5)
    close += [s for s in drills if key and key in s and s not in close]
    from tfprep.i18n import tr

    hint = tr("; did you mean {names}?", names=tr(" or ").join(close[:3])) if close else ""
    raise NotFoundError(tr("no drill named '{name}'{hint} (see: tfprep drill list)", name=name, hint=hint))

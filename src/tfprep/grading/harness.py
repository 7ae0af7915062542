"""What a hidden suite sees: the `judge` (the plugin in plugin.py gives it to the suite as a fixture).

A suite never touches the submission: it asks `judge.check(...)` / `judge.call(...)`, which send plain data
to the worker, get plain data back, and compare it with the float64 reference in this process. When a
check fails, the same call is run through the drill's known-mistake variants to name the mistake.

Authoring guide: docs/drill-authoring.md.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from tfprep.grading import compare, describe, invoke, naming
from tfprep.grading.calling import Failed, SubmissionCalls
from tfprep.grading.protocol import Call, Table
from tfprep.grading.sandbox import WorkerSpec, Zygote
from tfprep.grading.suite_text import SuiteText
from tfprep.i18n import tr

__all__ = ["Failed", "Judge", "Table", "load_module"]


def load_module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _as64(value: Any) -> Any:
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value.astype(np.float64)
    if isinstance(value, tuple):
        return tuple(_as64(v) for v in value)
    if isinstance(value, list):
        return [_as64(v) for v in value]
    if isinstance(value, dict):
        return {k: _as64(v) for k, v in value.items()}
    return value


class Judge(SubmissionCalls):
    """One per grading. `rng` is reset before each test from (seed, test name), so tests replay alone."""

    tr = SuiteText(Path(), "en")  # the suite's words as written, until __init__ knows the grading's language

    def __init__(self, request: dict, zygote: Zygote, workdir: str, text: SuiteText | None = None):
        self.request = request
        self.workdir = workdir
        self.seed: int = int(request["seed"])
        self.framework: str = request["framework"]
        self.time_factor: float = float(request.get("time_factor", 10.0))
        self.time_floor_s: float = float(request.get("time_floor_s", 2.0))
        self.zygote = zygote
        self.spec = WorkerSpec(
            path=request["submission"],
            framework=self.framework,
            forbidden_imports=list(request.get("forbidden_imports", [])),
            forbidden_calls=list(request.get("forbidden_calls", [])),
            memory_mb=int(request.get("memory_mb", 1024)),
            cpu_s=int(request.get("cpu_s", 120)),
        )
        self.reference = load_module(Path(request["reference"]), "tfprep_reference")
        mistakes_path = request.get("mistakes")
        self.mistakes: dict = (
            load_module(Path(mistakes_path), "tfprep_mistakes").MISTAKES if mistakes_path else {}
        )
        self.rng = np.random.default_rng(self.seed)
        self.entries: dict[str, str] = dict(request.get("entries", {}))
        self._worker = None
        self.spawned: list = []  # every worker started, so close() removes all their folders
        self._import_failure: dict | None = None
        self.respawns = 0
        self.peak_kb = 0
        self.base_kb = 0
        self._output: Any = ""  # what the submission printed: the text, or the worker whose file holds it
        # known mistakes still able to explain every failure so far (None: no failure yet), see Plugin
        self.possible_mistakes: list[str] | None = None
        self.halted = ""  # set after a time or memory limit: later tests are not run (fast feedback)
        self.interfered = ""  # set when the submission broke the grader's channel or its helper process
        # the suite's own words (docstrings, assert messages) in the user's language
        self.tr = text or SuiteText(Path(request["suite"]), request.get("lang", "en"))

    # ------------------------------------------------------------ what suites call

    def call(self, entry: str, *args: Any, **kwargs: Any) -> Any:
        """The submission's result for entry(*args, **kwargs) (plain data), or Failed if it crashed."""
        return self._run_submission(Call(entry, args, kwargs), self.time_floor_s * 5)

    def call_module(
        self,
        entry: str,
        init: tuple,
        args: tuple = (),
        kwargs: dict | None = None,
        *,
        init_kwargs: dict | None = None,
        state: dict | None = None,
        method: str | list | None = "forward",
    ) -> Any:
        return self._run_submission(
            Call(entry, args, kwargs or {}, tuple(init), init_kwargs or {}, state, method),
            self.time_floor_s * 5,
        )

    def reference_of(self, call: Call) -> tuple[Any, float]:
        wire = Call.from_wire(call.to_wire())
        wire.args, wire.kwargs, wire.state = _as64(wire.args), _as64(wire.kwargs), _as64(wire.state)
        wire.method = _as64(wire.method)  # the arguments of steps (a list of calls on one object)
        start = time.perf_counter()
        value = invoke.invoke(self.reference, wire, self.framework)
        return value, time.perf_counter() - start

    def check(
        self,
        entry: str,
        *args: Any,
        atol: float = 1e-6,
        rtol: float = 1e-5,
        label: str = "result",
        keep_dtype: bool = True,
        **kwargs: Any,
    ) -> Any:
        """Call entry on the submission and on the reference; fail (naming the mistake) if they differ.
        `keep_dtype=False` for an entry whose statement does not promise the inputs' float dtype back."""
        call = Call(entry, args, kwargs)
        return self.check_call(call, atol=atol, rtol=rtol, label=label, keep_dtype=keep_dtype)

    def check_module(
        self,
        entry: str,
        init: tuple,
        args: tuple,
        kwargs: dict | None = None,
        *,
        init_kwargs: dict | None = None,
        state: dict | None = None,
        method: str | list = "forward",
        atol: float = 1e-6,
        rtol: float = 1e-5,
        label: str = "output",
        keep_dtype: bool = True,
    ) -> Any:
        call = Call(entry, args, kwargs or {}, tuple(init), init_kwargs or {}, state, method)
        return self.check_call(call, atol=atol, rtol=rtol, label=label, keep_dtype=keep_dtype)

    def check_call(
        self,
        call: Call,
        *,
        atol: float,
        rtol: float,
        label: str,
        expected: Any = None,
        keep_dtype: bool = True,
    ) -> Any:
        if expected is None:
            expected, ref_s = self.reference_of(call)
        else:
            ref_s = 0.0
        limit = max(self.time_floor_s, self.time_factor * ref_s)
        try:
            got = self._run_submission(call, limit)
        except Failed as failed:
            raised = (failed.detail or {}).get("exception")
            if failed.status == "runtime_error" and raised:  # a mistake that raises here too explains it
                failed.candidates = naming.mistake_candidates(self, call, naming.Raised(raised), atol, rtol)[
                    0
                ]
            raise
        if keep_dtype:
            self._same_dtype(call, got, label, expected, atol, rtol)
        self.expect(got, expected, call=call, atol=atol, rtol=rtol, label=label, _whole_result=True)
        return got

    def _same_dtype(self, call: Call, got: Any, label: str, expected: Any, atol: float, rtol: float) -> None:
        """Float results keep the float dtype of the inputs (when the inputs have one): every statement says so."""
        want = {
            str(a.dtype) for a in naming.arrays((call.args, call.kwargs, call.state)) if a.dtype.kind == "f"
        }
        if len(want) != 1:
            return
        (dtype,) = want
        parts = got if isinstance(got, tuple) else (got,)
        names = label.split("|") if "|" in label else [label] * len(parts)
        for i, part in enumerate(parts):
            for a in naming.arrays(part):
                if a.dtype.kind == "f" and str(a.dtype) != dtype:
                    name = names[i] if i < len(names) else f"{label}[{i}]"
                    failed = Failed(
                        "wrong_answer",
                        tr(
                            "{name} has dtype {got}, but the inputs are {want}: keep the input dtype",
                            name=self._label(name),
                            got=a.dtype,
                            want=dtype,
                        ),
                        {
                            "label": self._label(name),
                            "dtype_got": str(a.dtype),
                            "dtype_expected": dtype,
                            "input": describe.show_call(call, self.entries),
                            "property": "dtype",
                        },
                        # a known mistake about the dtype (e.g. float16 scales) reproduces it; one equal to the reference does not
                    )
                    failed.candidates, failed.neutral = naming.mistake_candidates(
                        self, call, got, atol, rtol, expected, same_dtypes=True
                    )
                    raise failed

    def expect(
        self,
        got: Any,
        expected: Any,
        *,
        call: Call | None = None,
        atol: float = 1e-6,
        rtol: float = 1e-5,
        label: str = "result",
        message: str | None = None,
        _whole_result: bool = False,
    ) -> None:
        """Fail with wrong_answer when got differs from expected; name the mistake when `call` is given."""
        try:
            diff = compare.difference(got, expected, atol, rtol, label)
        except (TypeError, ValueError, OverflowError, AttributeError, KeyError, IndexError):
            # a returned value odd enough to break the comparison (e.g. an int past int64 where a float is
            # expected) is a wrong answer, said plainly, not a crash of the grader
            diff = {
                "label": label,
                "problem": tr(
                    "{label}: got {what}, which cannot be compared with the expected value",
                    label=self._label(label),
                    what=describe.kind_of(got),
                ),
                "property": "values",  # (not a type mismatch: the hint about the computation may still help)
            }
        if diff is None:
            return
        detail = diff | {"expected_value": compare.show(expected), "got_value": describe.shown(got)}
        detail["label"] = self._label(diff["label"])  # the detail people read names it in their language
        detail.setdefault("property", "values")  # which property of the result differs, as data
        candidates, neutral = None, []
        if call is not None:
            detail["input"] = describe.show_call(call, self.entries)
        # mistakes are compared on what the call returns; a suite comparing a part of it (only the scale of
        # (q, scale)) or a value derived from it gives no evidence for or against any of them
        if call is not None and (
            _whole_result or naming.same(self.reference_of(call)[0], expected, atol, rtol)
        ):
            candidates, neutral = naming.mistake_candidates(self, call, got, atol, rtol, expected)
        failed = Failed(
            "wrong_answer", self.tr.lookup(message) if message else diff["problem"], detail, candidates
        )
        failed.neutral = neutral
        raise failed

    def _label(self, name: str) -> str:
        """A result's name for people: the defaults of check / check_module in the user's language, a suite's
        own label through its zh.toml."""
        if name == "result":
            return tr("result")
        if name == "output":
            return tr("output")
        return self.tr.lookup(name)

    def check_unmodified(self, entry: str, *args: Any, **kwargs: Any) -> Any:
        """The submission's result for entry(*args, **kwargs); fails if the call modified its arguments.

        Every call is checked for that (see _unchanged_inputs); this name stays for suites that test it
        on purpose."""
        return self._run_submission(Call(entry, args, kwargs), self.time_floor_s * 5)

    def raises(
        self,
        exc_name: str,
        entry: str,
        *args: Any,
        init: tuple | None = None,
        init_kwargs: dict | None = None,
        **kwargs: Any,
    ) -> None:
        """Fail unless the submission raises `exc_name` (e.g. ValueError) for this call."""
        call = Call(
            entry,
            args,
            kwargs,
            None if init is None else tuple(init),
            init_kwargs or {},
            None,
            None if init is not None else "forward",
        )
        try:
            self._run_submission(call, self.time_floor_s * 5)
        except Failed as f:
            if f.detail and f.detail.get("exception") == exc_name:
                return
            if f.status != "runtime_error" or self.interfered:
                raise
            raise Failed(
                "wrong_answer",
                tr("expected {exc}, but {what}", exc=exc_name, what=f.message),
                {"property": "exception"},
            ) from None
        raise Failed(
            "wrong_answer",
            tr(
                "expected `{entry}` to raise {exc} for {inputs}, but it did not",
                entry=entry,
                exc=exc_name,
                inputs=describe.short(call),
            ),
            {"property": "exception"},
        )

    def random_state(
        self, entry: str, init: tuple, init_kwargs: dict | None = None, scale: float | None = None
    ) -> dict:
        """Random float64 parameters for the reference class's state dict (Gaussian, scaled by 1/√fan_in)."""
        module = getattr(self.reference, entry)(*init, **(init_kwargs or {}))
        state = {}
        for name, t in module.state_dict().items():
            fan_in = t.shape[-1] if t.ndim > 1 else max(t.shape[0], 1)
            s = scale if scale is not None else 1.0 / np.sqrt(fan_in)
            state[name] = self.rng.normal(0.0, s, size=tuple(t.shape))
        return state

    def mistake_info(self, key: str) -> dict:
        m = self.mistakes[key]
        return {"key": key, "en": m.get("en", key), "zh": m.get("zh", m.get("en", key))}

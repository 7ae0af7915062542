"""What a hidden suite sees: the `judge` fixture, and the pytest plugin that records each test's outcome.

A suite never touches the submission: it asks `judge.check(...)` / `judge.call(...)`, which send plain data
to the worker, get plain data back, and compare it with the float64 reference in this process. When a
check fails, the same call is run through the drill's known-mistake variants to name the mistake.

Authoring guide: docs/drill-authoring.md.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tfprep.grading import compare, protocol
from tfprep.grading.protocol import Call, Table
from tfprep.grading.report import MESSAGE_LIMIT, capped
from tfprep.grading.sandbox import (
    ChannelViolation,
    WorkerDied,
    WorkerSpec,
    WorkerTimeout,
    Zygote,
    ZygoteGone,
    describe_status,
)
from tfprep.grading.static_check import param_names

__all__ = ["Failed", "Judge", "Table", "load_module"]

MAX_RESPAWNS = 3
HELLO_TIMEOUT_S = 20.0
CHANNEL = "your code wrote to the grader's channel"
ZYGOTE_GONE = "your code stopped or killed the grader's helper process (the worker's parent)"


class Failed(AssertionError):
    """A test's failure with its verdict status (wrong_answer, runtime_error, …) and a detail for people."""

    def __init__(
        self,
        status: str,
        message: str,
        detail: dict | None = None,
        candidates: list[str] | None = None,
    ):
        super().__init__(message)
        self.status, self.message, self.detail = status, message, detail
        # the known mistakes whose output equals the submission's on this input (None: not a value comparison)
        self.candidates = candidates
        self.neutral: list[
            str
        ] = []  # the known mistakes that would pass this check (they neither fit nor clash)


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


class _Raised:
    """What the submission did instead of returning: raised this exception type."""

    def __init__(self, exc_type: str):
        self.exc_type = exc_type


class Judge:
    """One per grading. `rng` is reset before each test from (seed, test name), so tests replay alone."""

    def __init__(self, request: dict, zygote: Zygote, workdir: str):
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

    # ------------------------------------------------------------ the worker

    def _ensure_worker(self):
        if self.interfered:
            raise Failed("runtime_error", f"not run: {self.interfered}")
        if self.halted:
            raise Failed("not_run", f"not run: stopped after {self.halted}")
        if self._import_failure is not None:
            raise Failed(self._import_failure["kind"], self._import_failure["message"], self._import_failure)
        if self._worker is not None and not self._worker.dead:
            return self._worker
        if self.respawns >= MAX_RESPAWNS:
            raise Failed("runtime_error", "not run: your process died too often in earlier tests")
        self.respawns += 1
        try:
            worker = self.zygote.spawn(self.spec, self.workdir)
        except ZygoteGone:
            raise self._interference(ZYGOTE_GONE) from None
        self.spawned.append(worker)
        try:
            hello = worker.hello(HELLO_TIMEOUT_S)
        except ChannelViolation as exc:
            self._output = worker.output()
            raise self._interference(f"{CHANNEL} while it was imported ({exc})") from None
        except WorkerTimeout:
            self._import_failure = {
                "kind": "time_limit_exceeded",
                "message": f"importing your file took over {HELLO_TIMEOUT_S:.0f} s",
            }
            raise Failed("time_limit_exceeded", self._import_failure["message"]) from None
        except WorkerDied as died:
            self._import_failure = {"kind": "runtime_error", "message": f"{died} while importing your file"}
            self._output = died.output
            raise Failed("runtime_error", self._import_failure["message"]) from None
        if not hello.get("ok"):
            kind = hello["kind"] if hello["kind"] != "bad_return" else "runtime_error"
            where = f"\n{hello['where']}" if hello.get("where") else ""
            self._import_failure = hello | {
                "kind": kind,
                "message": f"importing your file failed: {hello['message']}{where}",
            }
            self._output = worker.output()
            raise Failed(kind, self._import_failure["message"], hello)
        self.base_kb = hello.get("peak_kb", 0)
        self._worker = worker
        return worker

    def _interference(self, message: str) -> Failed:
        """The submission broke the grader's channel or its helper: this test and every later one fail."""
        self.interfered = message
        return Failed("runtime_error", message)

    def _run_submission(self, call: Call, limit_s: float) -> Any:
        worker = self._ensure_worker()
        wire = call.to_wire() | {"echo_args": True}
        try:
            reply = worker.request(wire, limit_s)
        except ChannelViolation as exc:
            self._output = worker.output()
            raise self._interference(f"{CHANNEL} during `{call.entry}` ({exc})") from None
        except WorkerTimeout:
            self._output = worker.output()
            self.halted = "the time limit was exceeded"
            raise Failed(
                "time_limit_exceeded",
                f"`{call.entry}` did not return within {limit_s:.2f} s (limit: {self.time_factor:g}× the reference, at least {self.time_floor_s:g} s)",
            ) from None
        except WorkerDied as died:
            self._output = died.output
            status = (
                "time_limit_exceeded"
                if died.status is not None and _signalled(died.status, "SIGXCPU")
                else "runtime_error"
            )
            if (
                died.status is not None
                and _signalled(died.status, "SIGSEGV")
                and "MemoryError" in died.output
            ):
                status = "memory_limit_exceeded"
            raise Failed(status, f"{describe_status(died.status)} during `{call.entry}`") from None
        finally:
            self._output = worker  # read only when asked: a file read per call adds up
        self.peak_kb = max(self.peak_kb, reply["peak_kb"])
        if not reply.get("ok"):
            kind = reply["kind"]
            if kind == "memory_limit_exceeded":
                self.halted = "the memory limit was exceeded"
                worker.kill()
            status = {"bad_return": "wrong_answer", "output_limit_exceeded": "runtime_error"}.get(kind, kind)
            where = f"\n{reply['where']}" if reply.get("where") else ""
            if kind == "bad_return":
                text = f"`{call.entry}` {reply['message']}"
            elif reply["exc_type"] == "NotImplementedError":
                text = f"`{call.entry}` is not implemented yet ({reply['message']})"
            else:
                text = f"`{call.entry}` raised {reply['message']}{where}"
            raise Failed(
                status,
                text,
                {"exception": reply["exc_type"], "line": reply.get("line"), "property": "exception"},
            )
        value = self._unchanged_inputs(call, reply["value"])
        odd = _odd_value(value)
        if odd:
            raise Failed("wrong_answer", f"`{call.entry}` returned {odd}")
        return value

    def _unchanged_inputs(self, call: Call, echoed: Any) -> Any:
        """The result of an echoed call, after checking that the call left its inputs as they were."""
        if not (isinstance(echoed, tuple) and len(echoed) == 2 and isinstance(echoed[1], tuple)):
            raise Failed("runtime_error", f"`{call.entry}`: the grader received a malformed reply")
        value, (args, kwargs) = echoed
        sent = protocol._echoed((tuple(call.args), dict(call.kwargs)))
        if compare.difference((args, kwargs), sent, 0.0, 0.0) is not None:
            names = (
                param_names(self.entries[call.entry])
                if call.init is None and call.entry in self.entries
                else []
            )
            changed = [
                names[i] if i < len(names) else f"argument {i + 1}"
                for i, (a, b) in enumerate(zip(args, sent[0], strict=False))
                if compare.difference(a, b, 0.0, 0.0) is not None
            ] + [k for k in sent[1] if compare.difference(kwargs.get(k), sent[1][k], 0.0, 0.0) is not None]
            shown = ", ".join(f"`{n}`" for n in changed) or "its input"
            # a known mistake that writes into its inputs the same way (an in-place update) explains it
            echoing = dataclasses.replace(call, echo_args=True)
            raise Failed(
                "wrong_answer",
                f"`{call.entry}` modified its input {shown} in place; the caller's values must stay as they "
                "were (work on a copy)",
                {"input": _show_call(call, self.entries), "property": "input_modified"},
                self.mistake_candidates(echoing, echoed, 1e-6, 1e-5)[0],
            )
        return value

    @property
    def output(self) -> str:
        return self._output if isinstance(self._output, str) else self._output.output()

    def close(self) -> None:
        """Stop every worker, have the zygote kill all they started, then remove their folders."""
        for worker in self.spawned:
            worker.kill()
        try:
            self.zygote.sweep()
        except ZygoteGone:  # killed by the submission: the judge's own sweep ends what is left
            self.interfered = self.interfered or ZYGOTE_GONE
        for worker in self.spawned:
            worker.release()
        self.spawned.clear()

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
        value = protocol.invoke(self.reference, wire, self.framework)
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
                failed.candidates = self.mistake_candidates(call, _Raised(raised), atol, rtol)[0]
            raise
        if keep_dtype:
            self._same_dtype(call, got, label)
        self.expect(got, expected, call=call, atol=atol, rtol=rtol, label=label)
        return got

    def _same_dtype(self, call: Call, got: Any, label: str) -> None:
        """Float results keep the float dtype of the inputs (when the inputs have one): every statement says so."""
        want = {str(a.dtype) for a in _arrays((call.args, call.kwargs, call.state)) if a.dtype.kind == "f"}
        if len(want) != 1:
            return
        (dtype,) = want
        parts = got if isinstance(got, tuple) else (got,)
        names = label.split("|") if "|" in label else [label] * len(parts)
        for i, part in enumerate(parts):
            for a in _arrays(part):
                if a.dtype.kind == "f" and str(a.dtype) != dtype:
                    name = names[i] if i < len(names) else f"{label}[{i}]"
                    raise Failed(
                        "wrong_answer",
                        f"{name} has dtype {a.dtype}, but the inputs are {dtype}: keep the input dtype",
                        {
                            "label": name,
                            "dtype_got": str(a.dtype),
                            "dtype_expected": dtype,
                            "input": _show_call(call, self.entries),
                            "property": "dtype",
                        },
                    )

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
    ) -> None:
        """Fail with wrong_answer when got differs from expected; name the mistake when `call` is given."""
        try:
            diff = compare.difference(got, expected, atol, rtol, label)
        except (TypeError, ValueError, OverflowError, AttributeError, KeyError, IndexError):
            # a returned value odd enough to break the comparison (e.g. an int past int64 where a float is
            # expected) is a wrong answer, said plainly, not a crash of the grader
            diff = {
                "label": label,
                "problem": f"{label}: got {_kind_of(got)}, which cannot be compared with the expected value",
            }
        if diff is None:
            return
        detail = diff | {"expected_value": compare.show(expected), "got_value": _shown(got)}
        detail["property"] = _property(diff)
        candidates, neutral = None, []
        if call is not None:
            detail["input"] = _show_call(call, self.entries)
            candidates, neutral = self.mistake_candidates(call, got, atol, rtol, expected)
        failed = Failed("wrong_answer", message or diff["problem"], detail, candidates)
        failed.neutral = neutral
        raise failed

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
                "wrong_answer", f"expected {exc_name}, but {f.message}", {"property": "exception"}
            ) from None
        raise Failed(
            "wrong_answer",
            f"expected `{entry}` to raise {exc_name} for {_short(call)}, but it did not",
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

    def mistake_candidates(
        self, call: Call, got: Any, atol: float, rtol: float, expected: Any = _Raised
    ) -> tuple[list[str], list[str]]:
        """The known mistakes whose output on this call equals the submission's (within the tolerance), and
        those whose output equals the `expected` one (they would pass: neither evidence for nor against)."""
        keys, neutral = [], []
        for key, m in self.mistakes.items():
            if self.possible_mistakes is not None and key not in self.possible_mistakes:
                continue  # an earlier failing test already ruled it out
            impl = m.get(call.entry)
            if impl is None:
                continue
            ns = {n: getattr(self.reference, n) for n in dir(self.reference)} | {call.entry: impl}
            wire = Call.from_wire(call.to_wire())  # in the dtype the submission saw: float32 overflows alike
            try:
                variant = protocol.invoke(ns, wire, self.framework)
            except Exception as exc:  # noqa: BLE001 - a variant that raises matches a submission raising the same
                if isinstance(got, _Raised) and got.exc_type == type(exc).__name__:
                    keys.append(key)
                continue
            if isinstance(got, _Raised):
                continue
            try:
                same = compare.difference(*_nan_blind(got, variant), max(atol, 1e-9), max(rtol, 1e-7)) is None
            except (TypeError, ValueError, OverflowError, AttributeError, KeyError, IndexError):
                same = False  # an odd value (see expect) matches no variant
            if same:
                keys.append(key)
            elif expected is not _Raised and _same(variant, expected, atol, rtol):
                neutral.append(key)
        return keys, neutral

    def mistake_info(self, key: str) -> dict:
        m = self.mistakes[key]
        return {"key": key, "en": m.get("en", key), "zh": m.get("zh", m.get("en", key))}


def _same(a: Any, b: Any, atol: float, rtol: float) -> bool:
    try:
        return compare.difference(a, b, max(atol, 1e-9), max(rtol, 1e-7)) is None
    except (TypeError, ValueError, OverflowError, AttributeError, KeyError, IndexError):
        return False


def _nan_blind(got: Any, variant: Any) -> tuple[Any, Any]:
    """Both results with the entries where the mistake's result is NaN set to 0: a row with every key masked
    is NaN with -inf and uniform with -1e9, and either way it is the same mistake. A mistake's result that is
    NaN everywhere is left as it is."""
    if isinstance(got, (tuple, list)) and isinstance(variant, (tuple, list)) and len(got) == len(variant):
        pairs = [_nan_blind(g, v) for g, v in zip(got, variant, strict=True)]
        return type(got)(p[0] for p in pairs), type(variant)(p[1] for p in pairs)
    if (
        isinstance(got, np.ndarray)
        and isinstance(variant, np.ndarray)
        and got.shape == variant.shape
        and got.dtype.kind == "f"
        and variant.dtype.kind == "f"
    ):
        nan = np.isnan(
            variant
        )  # where the mistake itself is undefined; a NaN of the submission must match one
        if nan.any() and not nan.all():
            return np.where(nan, 0.0, got), np.where(nan, 0.0, variant)
    return got, variant


def _property(diff: dict) -> str:
    """Which property of the result a difference breaks: dtype, shape, type or values."""
    if "dtype_got" in diff:
        return "dtype"
    if "shape_got" in diff:
        return "shape"
    if diff.get("problem", "").startswith(("expected a", "a list of", "keys differ")):
        return "type"
    return "values"


def _arrays(value: Any) -> list:
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, (tuple, list)):
        return [a for v in value for a in _arrays(v)]
    if isinstance(value, dict):
        return [a for v in value.values() for a in _arrays(v)]
    return []


def explaining_mistake(tests: list[dict]) -> tuple[str | None, list[str] | None]:
    """The one known mistake that explains the failures (or None), and the mistakes still possible.

    Named only when the first failing test (the one people see) compared the submission's result with the
    reference, that mistake's result equals the submission's there, and it equals it in every other failing
    test that made such a comparison, unless its result passes there (the submission has a second bug).
    Failures that compare nothing a mistake could reproduce (a dtype, a property assertion) neither confirm
    nor refute it."""
    failing = [t for t in tests if t["status"] not in ("passed", "not_run")]
    if not failing:
        return None, None
    if failing[0].get("candidates") is None:
        return None, []
    common = list(failing[0]["candidates"])
    for t in failing[1:]:
        if t.get("candidates") is not None:  # a mistake that would pass this check is not refuted by it
            common = [k for k in common if k in t["candidates"] or k in t.get("neutral", ())]
    if not common:
        return None, common
    # the one that reproduces the most failures (a mistake merely passing elsewhere explains less)
    matched = {k: sum(k in (t.get("candidates") or ()) for t in failing) for k in common}
    return max(common, key=lambda k: matched[k]), common


def _kind_of(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {tuple(value.shape)} ({value.dtype})"
    if isinstance(value, (list, tuple, dict)):
        return f"a {type(value).__name__} of {len(value)} items"
    return f"{type(value).__name__} {repr(value)[:40]}"


def _shown(value: Any) -> Any:
    try:
        return compare.show(value)
    except (TypeError, ValueError, OverflowError):
        return _kind_of(value)


def _odd_value(value: Any) -> str | None:
    """What the comparison cannot take as an answer, said plainly: complex values where every drill
    expects real ones (e.g. RoPE computed with complex numbers and returned without taking the real part)."""
    todo, seen = [value], 0
    while todo and seen <= protocol.MAX_ITEMS:
        v = todo.pop()
        seen += 1
        if isinstance(v, np.ndarray) and v.dtype.kind == "c":
            return f"{v.dtype}; expected real values"
        if isinstance(v, (list, tuple)):
            todo.extend(v)
        elif isinstance(v, dict):
            todo.extend(v.values())
    return None


def _signalled(status: int, name: str) -> bool:
    import os
    import signal

    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == getattr(signal, name, -1)


def _short(call: Call) -> str:
    return ", ".join(_brief(a) for a in (call.init or call.args))


def _brief(v: Any) -> str:
    if isinstance(v, np.ndarray):
        return f"array{tuple(v.shape)}"
    return repr(v)[:40]


def _show_call(call: Call, entries: dict[str, str]) -> dict:
    """The call's inputs by parameter name (from the signature the statement fixes), for people."""
    out: dict = {}
    names = param_names(entries[call.entry]) if call.entry in entries else []
    if call.init is not None:
        for i, v in enumerate(call.init):
            out[names[i] if i < len(names) else f"init[{i}]"] = compare.show(v)
        out |= {k: compare.show(v) for k, v in call.init_kwargs.items()}
        names = []  # the method's parameters are not in the statement's signature
    for i, v in enumerate(call.args):
        out[names[i] if i < len(names) else f"arg {i + 1}"] = compare.show(v)
    out |= {k: compare.show(v) for k, v in call.kwargs.items()}
    if isinstance(call.method, list):  # steps on one object: show what was called, in order
        out["calls"] = [_brief_step(step) for step in call.method]
    return out


def _brief_step(step: Any) -> str:
    name, args = (*tuple(step), ())[:2]
    return f"{name}({', '.join(_brief(a) for a in args)})"


# ---------------------------------------------------------------- the pytest plugin


class Plugin:
    """Gives suites the `judge` fixture and records each test's outcome as data."""

    def __init__(self, request: dict, zygote: Zygote, workdir: str):
        self.request = request
        self.workdir = workdir
        self.zygote = zygote
        self.judge_obj: Judge | None = None
        self.results: list[dict] = []
        self.collected = 0
        self.errors: list[str] = []

    def pytest_configure(self, config):  # noqa: ANN001
        # Failures are reported from the exception itself, never from pytest's text. Pytest still renders
        # a "long" traceback of every failure (40 ms each); "native" is the cheap one. The terminal
        # plugin, which owns --tb, is disabled, so set its option directly.
        config.option.tbstyle = "native"

    @pytest.fixture(scope="session")
    def judge(self) -> Judge:
        if self.judge_obj is None:
            self.judge_obj = Judge(self.request, self.zygote, self.workdir)
        return self.judge_obj

    def pytest_collection_modifyitems(self, items):  # noqa: ANN001
        self.collected = len(items)

    def pytest_collectreport(self, report):  # noqa: ANN001
        if report.failed:
            self.errors.append(str(report.longrepr)[-2000:])

    def pytest_runtest_setup(self, item):  # noqa: ANN001
        if self.judge_obj is not None:
            self.judge_obj.rng = np.random.default_rng([self.judge_obj.seed, zlib.crc32(item.name.encode())])

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):  # noqa: ANN001
        outcome = yield
        report = outcome.get_result()
        if report.when == "setup" and report.passed:
            # the fixture exists now: seed this test's rng
            self.pytest_runtest_setup(item)
        if report.when == "call" or (report.when == "setup" and not report.passed):
            entry = {
                "name": item.name,
                "status": "passed",
                "message": "",
                "duration_s": round(report.duration, 4),
            }
            doc = (getattr(item.function, "__doc__", None) or "").strip().splitlines()
            if doc:
                entry["about"] = doc[0]
            if report.failed:
                exc = call.excinfo.value if call.excinfo else None
                while isinstance(exc, BaseExceptionGroup) and exc.exceptions:  # e.g. hypothesis, several bugs
                    exc = next((e for e in exc.exceptions if isinstance(e, Failed)), exc.exceptions[0])
                if isinstance(exc, Failed):
                    entry.update(status=exc.status, message=exc.message[:MESSAGE_LIMIT])
                    if exc.detail:
                        entry["detail"] = capped(exc.detail)
                        if exc.detail.get("property"):
                            entry["property"] = exc.detail["property"]
                    if exc.candidates is not None:
                        entry["candidates"] = exc.candidates
                        entry["neutral"] = exc.neutral
                elif isinstance(exc, AssertionError):
                    entry.update(
                        status="wrong_answer", message=str(exc) or "a property of your result does not hold"
                    )
                else:
                    entry.update(
                        status="internal_error",
                        message=f"the hidden suite failed: {type(exc).__name__}: {exc}"[:500],
                    )
            elif report.skipped:
                entry.update(status="internal_error", message="the hidden suite skipped this test")
            self.results.append(entry)
            self._name_mistake()

    def _name_mistake(self) -> None:
        """Put the explaining mistake (if any) on every failing test; take every other name off."""
        key, possible = explaining_mistake(self.results)
        if self.judge_obj is not None:
            self.judge_obj.possible_mistakes = possible
        for t in self.results:
            t.pop("mistake", None)
            if key is not None and t["status"] != "passed" and self.judge_obj is not None:
                t["mistake"] = self.judge_obj.mistake_info(key)

"""What a hidden suite sees: the `judge` fixture, and the pytest plugin that records each test's outcome.

A suite never touches the submission: it asks `judge.check(...)` / `judge.call(...)`, which send plain data
to the worker, get plain data back, and compare it with the float64 reference in this process. When a
check fails, the same call is run through the drill's known-mistake variants to name the mistake.

Authoring guide: docs/drill-authoring.md.
"""

from __future__ import annotations

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

__all__ = ["Failed", "Judge", "Table", "load_module"]

MAX_RESPAWNS = 3
HELLO_TIMEOUT_S = 20.0
CHANNEL = "your code wrote to the grader's channel"
ZYGOTE_GONE = "your code stopped or killed the grader's helper process (the worker's parent)"


class Failed(AssertionError):
    """A test's failure with its verdict status (wrong_answer, runtime_error, …) and a detail for people."""

    def __init__(self, status: str, message: str, detail: dict | None = None, mistake: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.detail, self.mistake = status, message, detail, mistake


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
        try:
            reply = worker.request(call.to_wire(), limit_s)
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
                {"exception": reply["exc_type"], "line": reply.get("line")},
            )
        odd = _odd_value(reply["value"])
        if odd:
            raise Failed("wrong_answer", f"`{call.entry}` returned {odd}")
        return reply["value"]

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
        **kwargs: Any,
    ) -> Any:
        """Call entry on the submission and on the reference; fail (naming the mistake) if they differ."""
        return self.check_call(Call(entry, args, kwargs), atol=atol, rtol=rtol, label=label)

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
    ) -> Any:
        call = Call(entry, args, kwargs or {}, tuple(init), init_kwargs or {}, state, method)
        return self.check_call(call, atol=atol, rtol=rtol, label=label)

    def check_call(self, call: Call, *, atol: float, rtol: float, label: str, expected: Any = None) -> Any:
        if expected is None:
            expected, ref_s = self.reference_of(call)
        else:
            ref_s = 0.0
        limit = max(self.time_floor_s, self.time_factor * ref_s)
        got = self._run_submission(call, limit)
        self.expect(got, expected, call=call, atol=atol, rtol=rtol, label=label)
        return got

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
        if call is not None:
            detail["input"] = _show_call(call, self.entries)
        mistake = self.name_mistake(call, got, atol, rtol) if call is not None else None
        raise Failed("wrong_answer", message or diff["problem"], detail, mistake)

    def check_unmodified(self, entry: str, *args: Any, **kwargs: Any) -> Any:
        """Fail (naming the mistake) if entry(*args, **kwargs) writes into its positional arguments.

        Returns the submission's result. The arguments the worker passed are sent back after the call and
        compared exactly with what was sent.
        """
        call = Call(entry, args, kwargs, echo_args=True)
        got = self._run_submission(call, self.time_floor_s * 5)
        if not (isinstance(got, tuple) and len(got) == 2):
            raise Failed("internal_error", "the worker did not echo the arguments")
        result, after = got
        self.expect(
            (result, after),
            (result, tuple(args)),
            call=call,
            atol=0.0,
            rtol=0.0,
            label=f"{entry}'s result|{entry}'s arguments after the call",
            message=f"`{entry}` modified its inputs in place; leave them unchanged and return new values",
        )
        return result

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
            raise Failed("wrong_answer", f"expected {exc_name}, but {f.message}") from None
        raise Failed(
            "wrong_answer", f"expected `{entry}` to raise {exc_name} for {_short(call)}, but it did not"
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

    def name_mistake(self, call: Call, got: Any, atol: float, rtol: float) -> dict | None:
        for key, m in self.mistakes.items():
            impl = m.get(call.entry)
            if impl is None:
                continue
            ns = {n: getattr(self.reference, n) for n in dir(self.reference)} | {call.entry: impl}
            wire = Call.from_wire(call.to_wire())
            wire.args, wire.kwargs, wire.state = _as64(wire.args), _as64(wire.kwargs), _as64(wire.state)
            wire.method = _as64(wire.method)  # the arguments of steps (a list of calls on one object)
            try:
                variant = protocol.invoke(ns, wire, self.framework)
            except Exception:  # noqa: BLE001 - a variant that cannot run this input does not match it
                continue
            try:
                same = compare.difference(got, variant, max(atol, 1e-9), max(rtol, 1e-7)) is None
            except (TypeError, ValueError, OverflowError, AttributeError, KeyError, IndexError):
                same = False  # an odd value (see expect) matches no variant
            if same:
                return {"key": key, "en": m.get("en", key), "zh": m.get("zh", m.get("en", key))}
        return None


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
    from tfprep.grading.static_check import param_names

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
                    if exc.mistake:
                        entry["mistake"] = exc.mistake
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

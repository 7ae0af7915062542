"""Calling the submission from the judge: the worker of a grading (started, restarted, stopped, swept),
each call's limits, and what a call that failed says (`Failed`, with its verdict status).

The `Judge` (harness.py) is built on this: the suites' API there, the worker's side here. Everything the
worker sends is data (messages.py); every sentence is made here or in reasons.py, in the user's language.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from tfprep.grading import compare, describe, invoke, naming, reasons
from tfprep.grading.protocol import Call
from tfprep.grading.sandbox import (
    ChannelViolation,
    WorkerDied,
    WorkerTimeout,
    ZygoteGone,
    describe_status,
)
from tfprep.grading.static_check import param_names
from tfprep.i18n import tr

MAX_RESPAWNS = 3
HELLO_TIMEOUT_S = 20.0


def _zygote_gone() -> str:
    return tr("your code stopped or killed the grader's helper process (the worker's parent)")


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


class SubmissionCalls:
    """The worker's side of a Judge. Uses the Judge's zygote, spec, workdir, entries, limits and state
    (set in Judge.__init__)."""

    def _ensure_worker(self):
        if self.interfered:
            raise Failed("runtime_error", tr("not run: {why}", why=self.interfered))
        if self.halted:
            raise Failed("not_run", self.halted)
        if self._import_failure is not None:
            raise Failed(self._import_failure["kind"], self._import_failure["message"], self._import_failure)
        if self._worker is not None and not self._worker.dead:
            return self._worker
        if self.respawns >= MAX_RESPAWNS:
            raise Failed("runtime_error", tr("not run: your process died too often in earlier tests"))
        self.respawns += 1
        try:
            worker = self.zygote.spawn(self.spec, self.workdir)
        except ZygoteGone:
            raise self._interference(_zygote_gone()) from None
        self.spawned.append(worker)
        try:
            hello = worker.hello(HELLO_TIMEOUT_S)
        except ChannelViolation as exc:
            self._output = worker.output()
            raise self._interference(
                tr("your code wrote to the grader's channel while it was imported ({problem})", problem=exc)
            ) from None
        except WorkerTimeout:
            self._import_failure = {
                "kind": "time_limit_exceeded",
                "message": tr("importing your file took over {s:.0f} s", s=HELLO_TIMEOUT_S),
            }
            raise Failed("time_limit_exceeded", self._import_failure["message"]) from None
        except WorkerDied as died:
            self._import_failure = {
                "kind": "runtime_error",
                "message": tr("{died} while importing your file", died=describe_status(died.status)),
            }
            self._output = died.output
            raise Failed("runtime_error", self._import_failure["message"]) from None
        if not hello.get("ok"):
            kind = hello["kind"] if hello["kind"] != "bad_return" else "runtime_error"
            where = reasons.traceback(hello["frames"])
            what = reasons.text(hello["reason"]) if hello.get("reason") else hello["message"]
            self._import_failure = hello | {
                "kind": kind,
                "message": tr("importing your file failed: {what}", what=what) + where,
            }
            self._output = worker.output()
            raise Failed(kind, self._import_failure["message"], self._import_failure)
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
            raise self._interference(
                tr(
                    "your code wrote to the grader's channel during `{entry}` ({problem})",
                    entry=call.entry,
                    problem=exc,
                )
            ) from None
        except WorkerTimeout:
            self._output = worker.output()
            self.halted = tr("not run: stopped after the time limit was exceeded")
            raise Failed(
                "time_limit_exceeded",
                tr(
                    "`{entry}` did not return within {limit:.2f} s (limit: {factor:g}× the reference, at least {floor:g} s)",
                    entry=call.entry,
                    limit=limit_s,
                    factor=self.time_factor,
                    floor=self.time_floor_s,
                ),
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
            raise Failed(
                status, tr("{died} during `{entry}`", died=describe_status(died.status), entry=call.entry)
            ) from None
        finally:
            self._output = worker  # read only when asked: a file read per call adds up
        self.peak_kb = max(self.peak_kb, reply["peak_kb"])
        if not reply.get("ok"):
            kind = reply["kind"]
            if kind == "memory_limit_exceeded":
                self.halted = tr("not run: stopped after the memory limit was exceeded")
                worker.kill()
            status = {"bad_return": "wrong_answer", "output_limit_exceeded": "runtime_error"}.get(kind, kind)
            text = reasons.call_failure(call.entry, reply)
            raise Failed(
                status,
                text,
                {"exception": reply["exc_type"], "line": reply.get("line"), "property": "exception"},
            )
        value = self._unchanged_inputs(call, reply["value"])
        odd = describe.odd_value(value)
        if odd:
            raise Failed("wrong_answer", tr("`{entry}` returned {what}", entry=call.entry, what=odd))
        return value

    def _unchanged_inputs(self, call: Call, echoed: Any) -> Any:
        """The result of an echoed call, after checking that the call left its inputs as they were."""
        if not (isinstance(echoed, tuple) and len(echoed) == 2 and isinstance(echoed[1], tuple)):
            raise Failed(
                "runtime_error", tr("`{entry}`: the grader received a malformed reply", entry=call.entry)
            )
        value, (args, kwargs) = echoed
        sent = invoke.echoed((tuple(call.args), dict(call.kwargs)))
        if compare.difference((args, kwargs), sent, 0.0, 0.0) is not None:
            names = (
                param_names(self.entries[call.entry])
                if call.init is None and call.entry in self.entries
                else []
            )
            changed = [
                names[i] if i < len(names) else tr("argument {n}", n=i + 1)
                for i, (a, b) in enumerate(zip(args, sent[0], strict=False))
                if compare.difference(a, b, 0.0, 0.0) is not None
            ] + [k for k in sent[1] if compare.difference(kwargs.get(k), sent[1][k], 0.0, 0.0) is not None]
            shown = tr(", ").join(f"`{n}`" for n in changed) or tr("its input")
            # a known mistake that writes into its inputs the same way (an in-place update) explains it
            echoing = dataclasses.replace(call, echo_args=True)
            raise Failed(
                "wrong_answer",
                tr(
                    "`{entry}` modified its input {inputs} in place; the caller's values must stay as they were "
                    "(work on a copy)",
                    entry=call.entry,
                    inputs=shown,
                ),
                {"input": describe.show_call(call, self.entries), "property": "input_modified"},
                naming.mistake_candidates(self, echoing, echoed, 1e-6, 1e-5)[0],
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
            self.interfered = self.interfered or _zygote_gone()
        for worker in self.spawned:
            worker.release()
        self.spawned.clear()


def _signalled(status: int, name: str) -> bool:
    import os
    import signal

    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == getattr(signal, name, -1)

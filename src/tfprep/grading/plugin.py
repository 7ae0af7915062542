"""The pytest plugin of a grading: gives suites the `judge` fixture and records each test's outcome as
data (status, message, detail, the mistakes that reproduce it)."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest

from tfprep.grading.harness import Failed, Judge
from tfprep.grading.naming import explaining_mistake
from tfprep.grading.report import MESSAGE_LIMIT, capped
from tfprep.grading.sandbox import Zygote
from tfprep.grading.suite_text import SuiteText


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
        self.suite_text = SuiteText(Path(request["suite"]), request.get("lang", "en"))

    def pytest_configure(self, config):  # noqa: ANN001
        # Failures are reported from the exception itself, never from pytest's text. Pytest still renders
        # a "long" traceback of every failure (40 ms each); "native" is the cheap one. The terminal
        # plugin, which owns --tb, is disabled, so set its option directly.
        config.option.tbstyle = "native"

    @pytest.fixture(scope="session")
    def judge(self) -> Judge:
        if self.judge_obj is None:
            self.judge_obj = Judge(self.request, self.zygote, self.workdir, self.suite_text)
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
                entry["about"] = self.suite_text.lookup(doc[0])
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
                        status="wrong_answer",
                        message=self.suite_text.lookup(str(exc))
                        if str(exc)
                        else "a property of your result does not hold",
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

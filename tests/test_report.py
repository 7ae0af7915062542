"""report.from_judge: raw judge output -> the verdict people see (pure)."""

from tfprep.grading.report import from_judge, from_static

PASS = {"name": "test_a", "status": "passed", "message": ""}


def raw(*tests, collected=None, **extra):
    return {"tests": list(tests), "collected": len(tests) if collected is None else collected, **extra}


def test_all_passed_is_accepted():
    r = from_judge("d", raw(PASS, PASS | {"name": "test_b"}), seed=1, duration_s=0.5)
    assert (r.verdict, r.passed, r.total, r.failure) == ("accepted", 2, 2, None)


def test_a_test_that_did_not_run_is_never_accepted():
    r = from_judge("d", raw(PASS, collected=2), seed=1, duration_s=0.5)
    assert r.verdict != "accepted" and r.total == 2


def test_first_failing_test_decides_and_the_most_named_mistake_wins():
    m1 = {"key": "no-scale", "en": "no scale", "zh": "没有缩放"}
    m2 = {"key": "inverted-mask", "en": "inverted", "zh": "反了"}
    tests = [
        PASS,
        {
            "name": "test_b",
            "status": "wrong_answer",
            "message": "off",
            "mistake": m2,
            "detail": {"max_abs_err": 1.0},
        },
        {"name": "test_c", "status": "time_limit_exceeded", "message": "slow"},
        {"name": "test_d", "status": "wrong_answer", "message": "off", "mistake": m1},
        {"name": "test_e", "status": "wrong_answer", "message": "off", "mistake": m1},
    ]
    r = from_judge("d", raw(*tests), seed=1, duration_s=1.0, lang="zh")
    assert r.verdict == "wrong_answer" and r.failure["test"] == "test_b" and r.failure["max_abs_err"] == 1.0
    assert r.mistake["key"] == "no-scale" and r.hint == "没有缩放"


def test_not_run_tests_do_not_decide_the_verdict():
    tests = [
        {"name": "t1", "status": "time_limit_exceeded", "message": "slow"},
        {"name": "t2", "status": "not_run", "message": "stopped"},
    ]
    assert from_judge("d", raw(*tests), seed=1, duration_s=1.0).verdict == "time_limit_exceeded"


def test_internal_error_when_the_suite_is_broken_or_empty():
    assert from_judge("d", raw(collected=0), seed=1, duration_s=0.1).verdict == "internal_error"
    assert (
        from_judge("d", raw(PASS, suite_errors=["ImportError"]), seed=1, duration_s=0.1).verdict
        == "internal_error"
    )
    assert from_judge("d", raw(internal="judge died"), seed=1, duration_s=0.1).verdict == "internal_error"
    broken = {"name": "t", "status": "internal_error", "message": "the hidden suite failed"}
    wrong = {"name": "w", "status": "wrong_answer", "message": "off"}
    assert from_judge("d", raw(wrong, broken), seed=1, duration_s=0.1).verdict == "internal_error"


def test_hint_falls_back_to_the_drill_hint_and_json_shape():
    r = from_judge(
        "d",
        raw({"name": "t", "status": "runtime_error", "message": "boom"}),
        seed=9,
        duration_s=0.2,
        hints=("first hint", "second"),
    )
    assert r.hint == "first hint"
    j = r.to_json()
    assert {"drill", "verdict", "passed", "total", "tests", "hint", "seed", "duration_s"} <= set(j)
    assert j["tests"] == [{"name": "t", "status": "runtime_error", "message": "boom"}]


def test_static_findings():
    r = from_static("d", "compile_error", "line 3: invalid syntax", 3, seed=1, duration_s=0.01)
    assert (r.verdict, r.line, r.passed, r.total) == ("compile_error", 3, 0, 0)

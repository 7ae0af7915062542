"""A known mistake is named only when it explains the failure the panel shows and every other value failure."""

from __future__ import annotations

import numpy as np

from tfprep.grading.naming import _nan_blind, explaining_mistake


def t(status="wrong_answer", candidates=None, prop="values"):
    entry = {"status": status, "property": prop}
    if candidates is not None:
        entry["candidates"] = candidates
    return entry


def test_named_when_every_value_failure_agrees():
    tests = [t("passed"), t(candidates=["a", "b"]), t(candidates=["b", "c"])]
    assert explaining_mistake(tests) == ("b", ["b"])


def test_not_named_when_two_failures_disagree():
    assert explaining_mistake([t(candidates=["a"]), t(candidates=["b"])]) == (None, [])


def test_not_named_when_the_shown_failure_compared_no_values():
    # the first failure (shown) is a dtype or a modified input: no value mistake explains it
    assert explaining_mistake([t(prop="dtype"), t(candidates=["a"])]) == (None, [])
    assert explaining_mistake([t(prop="input_modified"), t(candidates=["a"])]) == (None, [])


def test_property_assertions_neither_confirm_nor_refute():
    tests = [t(candidates=["a"]), t(prop=None), t(prop="dtype"), t("not_run")]
    assert explaining_mistake(tests) == ("a", ["a"])


def test_nothing_failed_nothing_named():
    assert explaining_mistake([t("passed")]) == (None, None)


def test_nan_where_the_mistake_is_nan_is_ignored_but_not_the_other_way():
    mistake = np.array([[0.5, 0.5], [np.nan, np.nan]])  # -inf fill: a fully masked row is NaN
    uniform = np.array([[0.5, 0.5], [0.5, 0.5]])  # -1e9 fill: the same row is uniform
    got, var = _nan_blind(uniform, mistake)
    assert np.array_equal(got, var)
    got, var = _nan_blind(mistake, uniform)  # NaN in the submission must be matched by the mistake
    assert not np.array_equal(got, var, equal_nan=False)


def test_a_mistake_that_would_pass_a_check_is_not_refuted_by_it():
    # the submission has a second bug there, which the mistake's output does not show (it equals the reference)
    second_bug = {"status": "wrong_answer", "property": "values", "candidates": [], "neutral": ["a"]}
    assert explaining_mistake([t(candidates=["a", "b"]), second_bug]) == ("a", ["a"])
    clash = {"status": "wrong_answer", "property": "values", "candidates": [], "neutral": []}
    assert explaining_mistake([t(candidates=["a"]), clash]) == (None, [])


def test_the_mistake_reproducing_more_failures_wins():
    both = t(candidates=["a", "b"])
    only_b = {"status": "wrong_answer", "property": "values", "candidates": ["b"], "neutral": ["a"]}
    assert explaining_mistake([both, only_b])[0] == "b"

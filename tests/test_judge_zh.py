"""The grader's own words in the user's language (issue 12): the same file graded with the same seed says
in Chinese in zh what it says in English in en, for every kind of failure, and en stays as it was.

The worker does not know the language (its zygote is forked before the request is read): it sends a reason
code and plain fields, and the judge words them (reasons.py). Static findings, differences of values and
tracebacks are data too, worded where they are shown."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tfprep import i18n
from tfprep.grading import compare, messages, reasons, static_check
from tfprep.grading.drills import find_drill
from tfprep.grading.protocol import ProtocolError, Unsupported
from tfprep.grading.service import grade_source

CJK = re.compile(r"[\u4e00-\u9fff]")
# an English word of the grader's sentences (identifiers like ValueError or float16 are not matched)
WORD = re.compile(r"\b[a-z]{3,}\b")
TERMS = {"dtype", "list", "tuple", "dict", "int", "float"}  # said as they are in Chinese too

FIRST = "worked_example"  # the statement's 3×3 example: fixed inputs, so the numbers are known

# name: (source, verdict, the test to run, the en message's first line as it has always been)
CASES = {
    "wrong values": (
        "import numpy as np\n\n\ndef softmax(x, axis=-1):\n    e = np.exp(x)\n    return e / np.sum(e)\n",
        "wrong_answer",
        FIRST,
        "9 of 9 values off (max abs error 0.69)",
    ),
    "wrong shape": (
        "import numpy as np\n\n\ndef softmax(x, axis=-1):\n"
        "    e = np.exp(x - np.max(x, axis=axis, keepdims=True))\n"
        "    return (e / np.sum(e, axis=axis, keepdims=True)).T\n",
        "wrong_answer",
        "every_axis_2d",
        "shape (7, 5), expected (5, 7)",
    ),
    "wrong type": (
        "def softmax(x, axis=-1):\n    return [0.5, 0.5]\n",
        "wrong_answer",
        FIRST,
        "expected an array of shape (3, 3), got a list of 2 items",
    ),
    "wrong dtype": (
        "import numpy as np\n\n\ndef softmax(x, axis=-1):\n    x = x.astype(np.float16)\n"
        "    e = np.exp(x - np.max(x, axis=axis, keepdims=True))\n"
        "    return e / np.sum(e, axis=axis, keepdims=True)\n",
        "wrong_answer",
        FIRST,
        "result has dtype float16, but the inputs are float64: keep the input dtype",
    ),
    "raised": (
        'def softmax(x, axis=-1):\n    raise ValueError("x")\n',
        "runtime_error",
        FIRST,
        "`softmax` raised ValueError: x",
    ),
    "not implemented": (
        "def softmax(x, axis=-1):\n    raise NotImplementedError\n",
        "runtime_error",
        FIRST,
        "`softmax` is not implemented yet (NotImplementedError:)",
    ),
    "returned an object": (
        "class Probs:\n    pass\n\n\ndef softmax(x, axis=-1):\n    return Probs()\n",
        "wrong_answer",
        FIRST,
        "`softmax` returned an object of type Probs; return tensors/arrays, numbers or lists as the statement says",
    ),
    "called exit": (
        "import sys\n\n\ndef softmax(x, axis=-1):\n    sys.exit(3)\n",
        "runtime_error",
        FIRST,
        "`softmax` raised your code called exit (3)",
    ),
    "import failed": (
        'raise RuntimeError("boom")\n\n\ndef softmax(x, axis=-1):\n    return x\n',
        "runtime_error",
        FIRST,
        "importing your file failed: RuntimeError: boom",
    ),
    "entry gone at run time": (
        "def softmax(x, axis=-1):\n    return x\n\n\ndel softmax\n",
        "runtime_error",
        FIRST,
        "`softmax` raised LookupError: `softmax` is not defined",
    ),
    "modified its input": (
        "import numpy as np\n\n\ndef softmax(x, axis=-1):\n    x -= np.max(x, axis=axis, keepdims=True)\n"
        "    np.exp(x, out=x)\n    x /= np.sum(x, axis=axis, keepdims=True)\n    return x\n",
        "wrong_answer",
        FIRST,
        "`softmax` modified its input `x` in place; the caller's values must stay as they were (work on a copy)",
    ),
    "time limit": (
        "def softmax(x, axis=-1):\n    while True:\n        pass\n",
        "time_limit_exceeded",
        f"{FIRST} or one_dimensional",  # the second is not run: the first ran out of time
        "`softmax` did not return within 2.00 s (limit: 20× the reference, at least 2 s)",
    ),
    "rule tripped at run time": (
        "import importlib\n\n\ndef softmax(x, axis=-1):\n"
        '    return importlib.import_module("tor" + "ch").softmax(x, axis)\n',
        "rule_violation",
        FIRST,
        "`softmax` raised import of `torch` is not allowed in this drill",
    ),
    "rule found statically": (
        "import numpy as np\nimport torch\n\n\ndef softmax(x, axis=-1):\n    return x\n",
        "rule_violation",
        None,
        "softmax.py:2:1: `import torch` is not allowed in this drill (torch is forbidden)",
    ),
    "compile error": (
        "import numpy as np\n\n\ndef softmax(x, axis=-1)\n    return x\n",
        "compile_error",
        None,
        "softmax.py:4:24: SyntaxError: expected ':'",
    ),
    "signature": (
        "def softmax(x, axis, scale):\n    return x\n",
        "compile_error",
        None,
        "softmax.py:1:1: `softmax` takes (x, axis, scale), but the statement's signature is softmax(x, axis=-1)",
    ),
}


@pytest.fixture(scope="module")
def grade_runner():
    from tfprep.grading.judges import WarmPool

    pool = WarmPool()
    yield pool.run
    pool.close()


def _grade(source: str, lang: str, select: str | None, runner):  # noqa: ANN001, ANN202
    return grade_source(
        find_drill("softmax"), source, seed=5, lang=lang, runner=runner, select=select, filename="softmax.py"
    )


# what a message quotes as it is in every language: the submission's exception text, Python's own words
KEPT = {"import failed": "boom", "compile error": "expected ':'"}


def _words(text: str, case: str = "") -> set[str]:
    """The English words of a message, leaving out `code`, what is quoted as it is, and names from the
    submission (its file, functions, parameters, modules)."""
    text = re.sub(r"`[^`]*`", " ", text.replace(KEPT.get(case, "\0"), " "))
    quoted = set(WORD.findall(CASES[case][0])) if case else set()
    return set(WORD.findall(text)) - TERMS - quoted


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_grader_speaks_chinese_in_zh_and_english_as_before_in_en(case, grade_runner):
    source, verdict, select, en_first_line = CASES[case]
    en = _grade(source, "en", select, grade_runner)
    zh = _grade(source, "zh", select, grade_runner)
    assert en.verdict == zh.verdict == verdict, (en.verdict, zh.verdict, en.failure)
    assert (en.passed, en.total) == (zh.passed, zh.total)
    en_message, zh_message = en.failure["message"], zh.failure["message"]
    if en_first_line is not None:
        assert en_message.splitlines()[0] == en_first_line
    # the first line says it all; later lines are the traceback, where the submission's code is quoted
    first_en, first_zh = en_message.splitlines()[0], zh_message.splitlines()[0]
    assert CJK.search(first_zh), zh_message
    assert _words(first_en, case) or case in KEPT, f"the check needs English words to compare: {first_en!r}"
    assert not _words(first_zh, case), (first_en, first_zh)  # none of en's words, nor any other
    for en_line, zh_line in zip(en_message.splitlines()[1:], zh_message.splitlines()[1:], strict=True):
        number = re.match(r"  line (\d+), in ", en_line).group(1)
        assert zh_line.startswith(f"  第 {number} 行，"), zh_line
    # tests the judge did not run say so in the user's language too
    not_run = [
        (a["message"], b["message"])
        for a, b in zip(en.tests, zh.tests, strict=True)
        if a["status"] == "not_run"
    ]
    assert len(not_run) == (case == "time limit")
    for en_text, zh_text in not_run:
        assert _words(en_text) and CJK.search(zh_text) and not _words(zh_text), (en_text, zh_text)


GRPO = (
    "import numpy as np\n\n\ndef grpo_advantages(rewards, mask, group_size, eps=1e-4, scale_by_std=True):\n"
)


@pytest.mark.parametrize(
    ("body", "en_text", "zh_text"),
    [
        (
            "    return np.zeros(mask.shape, dtype=rewards.dtype)\n",
            "expected `grpo_advantages` to raise ValueError for array(7,), array(7, 2), 3, but it did not",
            "期望 `grpo_advantages` 对输入 array(7,), array(7, 2), 3 抛出 ValueError，但它没有抛出",
        ),
        (
            "    raise TypeError('x')\n",
            "expected ValueError, but `grpo_advantages` raised TypeError: x",
            "期望抛出 ValueError，但 `grpo_advantages` 抛出了异常：TypeError: x",
        ),
    ],
)
def test_a_check_that_the_submission_raises_is_worded_too(body, en_text, zh_text, grade_runner):
    results = [
        grade_source(
            find_drill("grpo-advantage"),
            GRPO + body,
            seed=1,
            lang=lang,
            runner=grade_runner,
            select="bad_group_size",
        )
        for lang in ("en", "zh")
    ]
    assert [r.failure["message"].splitlines()[0] for r in results] == [en_text, zh_text]


def test_a_cold_judge_speaks_the_language_of_the_request_too():
    """`tfprep grade` without --watch: a judge of its own, whose zygote is forked before the request."""
    zh = _grade(CASES["raised"][0], "zh", FIRST, None)
    assert zh.failure["message"].splitlines()[0] == "`softmax` 抛出了异常：ValueError: x"


# ---------------------------------------------------------------- the words are made from data


@pytest.fixture
def zh():
    i18n.set_lang("zh")
    yield
    i18n.set_lang("en")


@pytest.mark.parametrize(
    ("got", "expected", "prop"),
    [
        (np.zeros((2, 3)), np.zeros((3, 2)), "shape"),
        (np.zeros(3, dtype=np.int64), np.zeros(3), "dtype"),
        (np.ones(3), np.zeros(3), "values"),
        ([1.0], np.zeros(3), "type"),
        ((1.0,), (1.0, 2.0), "type"),
        ([1.0], [1.0, 2.0], "type"),
        ({"a": 1}, {"b": 1}, "type"),
        ("x", 1.0, "type"),
        (2, 3, "values"),
        (float("nan"), 1.0, "values"),
    ],
)
def test_a_difference_says_which_property_it_breaks_as_data_in_any_language(got, expected, prop, zh):
    diff = compare.difference(got, expected, 1e-6, 1e-5)
    assert diff["property"] == prop
    assert CJK.search(diff["problem"]), diff["problem"]
    assert compare.difference(got, expected, 1e-6, 1e-5) == diff, "the same words for the same values"


@pytest.mark.parametrize(
    "source",
    [
        "import torch\n\ndef softmax(x, axis=-1):\n    return x\n",
        "from torch import nn\n\ndef softmax(x, axis=-1):\n    return x\n",
        "import numpy as np\n\ndef softmax(x, axis=-1):\n    return np.linalg.norm(x)\n",
        "import importlib\n\ndef softmax(x, axis=-1):\n    return importlib.import_module('torch')\n",
        "def softmax(x, axis=-1):\n    return x +\n",
        "def softmax(x):\n    return x\n",
        "def soft_max(x, axis=-1):\n    return x\n",
    ],
)
def test_a_static_finding_is_data_worded_in_the_language_asked(source):
    finding = static_check.check_source(
        source, {"softmax": "(x, axis=-1)"}, ("torch",), ("numpy.linalg.norm",)
    )
    assert finding is not None
    english, chinese = finding.text("en"), finding.text("zh")
    assert CJK.search(chinese) and not CJK.search(english)
    assert not english.startswith("line "), "the location is data (line, col), not part of the text"
    shown = static_check.located(finding, source, "softmax.py", "zh")
    assert shown["message"].endswith(chinese) and shown["line"] == finding.line


def test_worker_reasons_are_checked_and_never_read_as_templates(zh):
    assert reasons.valid(["object_type", "Probs"]) and reasons.valid(["output_limit"])
    for forged in (
        ["verdict", "accepted"],  # not a reason the worker may give
        ["object_type"],  # a field missing
        ["object_type", 3],  # a field of the wrong kind
        ["too_deep", -1],
        ["object_type", "x" * (reasons.TEXT_LIMIT + 1)],
        ("object_type", "Probs"),  # a tuple: not what an honest worker sends
        "object_type",
    ):
        assert not reasons.valid(forged), forged
    # a field is a value filled into the judge's template, never a template of its own
    assert reasons.text(["object_type", "{0.__class__}"]) == "类型为 {0.__class__} 的对象"
    base = {"ok": False, "kind": "bad_return", "exc_type": "Unsupported", "message": "m", "line": None}
    base |= {"frames": [], "peak_kb": 0, "id": 1}
    assert messages.reply(base | {"reason": ["object_type", "Probs"]}, 1)["reason"] == [
        "object_type",
        "Probs",
    ]
    with pytest.raises(ProtocolError):
        messages.reply(base | {"reason": ["object_type", "{x}", "extra"]}, 1)
    with pytest.raises(ProtocolError):  # the judge words an odd return itself: it needs the reason
        messages.reply(base | {"reason": None}, 1)
    with pytest.raises(ProtocolError):
        messages.reply(base | {"kind": "runtime_error", "reason": None, "frames": [[1, "f"]]}, 1)


def test_unsupported_is_worded_in_the_current_language(zh):
    exc = Unsupported("too_many_items", 5)
    assert exc.reason == ["too_many_items", 5]
    assert str(exc) == "超过 5 个元素的值（超出评测器能接收的上限）"
    i18n.set_lang("en")  # as in a worker, which never learns the user's language
    assert str(exc) == "a value of over 5 items (more than the grader takes)"

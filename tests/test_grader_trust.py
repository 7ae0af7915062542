"""The judge's side of its trust boundary, unit by unit: the worker's messages are checked field by field,
the report shows what the submission influenced as capped, inert text, and processes are swept by PID."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from tfprep.grading import messages, processes
from tfprep.grading.protocol import ProtocolError, Table
from tfprep.grading.report import MESSAGE_LIMIT, capped, from_judge, inert

FAILURE = {
    "ok": False,
    "kind": "runtime_error",
    "exc_type": "ValueError",
    "message": "m",
    "reason": None,
    "line": 3,
    "frames": [],
}


def test_honest_messages_pass_unchanged():
    assert messages.hello({"ok": True, "peak_kb": 10}) == {"ok": True, "peak_kb": 10}
    hello = messages.hello(FAILURE | {"peak_kb": 1, "at_import": True})
    assert hello["kind"] == "runtime_error" and hello["at_import"] is True
    ok = {"ok": True, "id": 7, "value": [1.0], "seconds": 0.1, "peak_kb": 5}
    assert messages.reply(ok, 7)["value"] == [1.0]
    assert messages.reply(FAILURE | {"id": 7, "peak_kb": 5}, 7)["exc_type"] == "ValueError"


@pytest.mark.parametrize(
    "msg",
    [
        FAILURE | {"kind": "passed", "peak_kb": 0, "at_import": True},  # a status the judge did not decide
        FAILURE | {"kind": "accepted", "peak_kb": 0, "at_import": True},
        {"ok": True, "peak_kb": 1, "status": "passed"},  # another field
        {"ok": "yes", "peak_kb": 1},
        {"ok": True, "peak_kb": -1},
        {"ok": True, "peak_kb": True},
        FAILURE | {"peak_kb": 0},  # a failure at import must say so
        FAILURE | {"peak_kb": 0, "at_import": True, "line": "3"},
        [],
        "passed",
        None,
    ],
)
def test_forged_hellos_are_protocol_errors(msg):
    with pytest.raises(ProtocolError):
        messages.hello(msg)


@pytest.mark.parametrize(
    "msg",
    [
        {"ok": True, "id": 8, "value": 1, "seconds": 0.1, "peak_kb": 1},  # an answer to another request
        {"ok": True, "id": None, "value": 1, "seconds": 0.1, "peak_kb": 1},  # written before the request
        {"ok": True, "id": 7, "value": 1, "seconds": "0.1", "peak_kb": 1},
        {"ok": True, "id": 7, "value": 1, "seconds": 0.1, "peak_kb": 1, "status": "passed"},
        {"ok": True, "id": 7, "value": 1, "peak_kb": 1},
        {"ok": True, "id": 7.0, "value": 1, "seconds": 0.1, "peak_kb": 1},
        FAILURE | {"id": 7, "peak_kb": 1, "kind": "passed"},
        FAILURE | {"id": 7, "peak_kb": 1, "kind": "time_limit_exceeded"},  # only the judge measures time
        FAILURE | {"id": 7, "peak_kb": 1, "exc_type": 3},
        FAILURE | {"id": 7, "peak_kb": 1, "at_import": True},  # a hello where a reply belongs
        {"ok": True, "id": 7, "value": [Table({(0,): [1.0]})], "seconds": 0.1, "peak_kb": 1},
    ],
)
def test_forged_replies_are_protocol_errors(msg):
    with pytest.raises(ProtocolError):
        messages.reply(msg, 7)


def test_long_texts_in_messages_are_cut():
    reply = messages.reply(FAILURE | {"id": 1, "peak_kb": 0, "message": "x" * 10**6}, 1)
    assert len(reply["message"]) == messages.TEXT_LIMIT


# ---------------------------------------------------------------- the report: inert, capped


def test_control_characters_are_shown_as_escapes():
    text = "ok\n\tnext \x1b[2J\x1b[H\rACCEPTED \x9b2J \x07 \u202eevil"
    shown = inert(text)
    assert shown.startswith("ok\n\tnext ")
    for control in ("\x1b", "\r", "\x9b", "\x07", "\u202e"):
        assert control not in shown
    assert "\\x1b[2J" in shown and "\\r" in shown and "\\u202e" in shown


def test_previews_are_capped_in_size_and_made_inert():
    big = {"text": "\x1b" * 10_000, "got_value": [[0.5] * 1000] * 1000, "nested": [[[[[[[[[[1]]]]]]]]]]}
    small = capped(big)
    dumped = json.dumps(small)
    assert len(dumped) < 20_000 and len(small["text"]) <= 301
    assert "\x1b" not in small["text"] and "\\x1b" in small["text"]
    assert small["got_value"][-1] == "…"


def test_judge_results_are_cleaned_before_anyone_sees_them():
    raw = {
        "collected": 2,
        "tests": [
            {"name": "a", "status": "passed", "message": ""},
            {
                "name": "b",
                "status": "runtime_error",
                "message": "\x1b[2J" + "y" * 10**5,
                "detail": {"got_value": list(range(10**5))},
            },
        ],
        "output": "\x1b[31mred\x1b[0m" * 10**4,
    }
    result = from_judge("softmax", raw, seed=1, duration_s=0.1)
    assert result.verdict == "runtime_error"
    dumped = json.dumps(result.to_json())
    assert "\x1b" not in dumped and "\\u001b" not in dumped
    assert len(result.failure["message"]) <= MESSAGE_LIMIT
    assert len(dumped) < 40_000


def test_a_grader_killed_by_the_submission_is_its_runtime_error_and_a_crash_is_internal():
    from tfprep.grading.judge import killed_result

    killed = from_judge("softmax", killed_result(signal.SIGKILL), seed=1, duration_s=0.1)
    assert killed.verdict == "runtime_error" and "SIGKILL" in killed.failure["message"]
    crashed = from_judge("softmax", killed_result(signal.SIGSEGV), seed=3, duration_s=0.1)
    assert crashed.verdict == "internal_error"
    assert "tfprep grade softmax --seed 3 --json" in crashed.hint  # says how to report it


def test_an_internal_error_of_one_test_says_how_to_report_it():
    raw = {"collected": 1, "tests": [{"name": "t", "status": "internal_error", "message": "suite bug"}]}
    result = from_judge("softmax", raw, seed=5, duration_s=0.1)
    assert result.verdict == "internal_error" and "--seed 5" in result.hint


# ---------------------------------------------------------------- processes: swept by PID


def test_the_sweep_ends_a_setsid_double_fork_and_a_process_in_another_group():
    processes.become_subreaper()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # escapes twice: its own session, then a grandchild re-parented to us
        try:
            os.setsid()
            if os.fork() == 0:
                os.write(w, str(os.getpid()).encode().ljust(16))
                while True:
                    time.sleep(1)
        finally:
            os._exit(0)
    os.close(w)
    grandchild = int(os.read(r, 16))
    os.close(r)
    os.waitpid(pid, 0)
    assert grandchild in processes.descendants()  # re-parented to us, the subreaper
    assert processes.kill_descendants() >= 1
    assert grandchild not in processes.descendants()
    with pytest.raises(ProcessLookupError):
        os.kill(grandchild, 0)  # gone and reaped, not a zombie


def test_a_removed_folder_stays_removed_whatever_the_worker_did_to_it(tmp_path):
    from tfprep.grading.sandbox import remove_tree

    root = tmp_path / "w"
    (root / "locked" / "deep").mkdir(parents=True)
    (root / "locked" / "deep" / "f").write_text("x")
    os.mkfifo(root / "fifo")
    (root / "link").symlink_to(tmp_path)  # removed, not followed
    (tmp_path / "keep").write_text("mine")
    os.chmod(root / "locked", 0)
    remove_tree(root)
    assert not root.exists() and (tmp_path / "keep").read_text() == "mine"
    root.symlink_to(tmp_path)  # the worker swapped its folder for a link to yours
    remove_tree(root)
    assert not os.path.lexists(root) and (tmp_path / "keep").read_text() == "mine"


# ---------------------------------------------------------------- the sandbox: deadlines and sweeps


TRICKLED_HELLO = """
import socket
import time

plain = socket.socket.sendall


def trickle(sock, data, *flags):  # the hello, a byte every 0.2 s
    for i in range(len(data)):
        plain(sock, data[i : i + 1], *flags)
        time.sleep(0.2)


socket.socket.sendall = trickle
"""


def _zygote_worker(tmp_path, source: str):  # noqa: ANN202 - (Zygote, Worker)
    from tfprep.grading.sandbox import WorkerSpec, Zygote

    path = tmp_path / "sub.py"
    path.write_text(source)
    workdir = tmp_path / "run"
    workdir.mkdir()
    zygote = Zygote()
    return zygote, zygote.spawn(WorkerSpec(path=str(path), framework="python"), str(workdir))


def test_the_import_limit_is_a_deadline_whatever_the_worker_trickles(tmp_path):
    from tfprep.grading.sandbox import WorkerTimeout

    zygote, worker = _zygote_worker(tmp_path, TRICKLED_HELLO)
    try:
        start = time.monotonic()
        with pytest.raises(WorkerTimeout):
            worker.hello(1.0)
        assert time.monotonic() - start < 2.0  # a byte arrived every 0.2 s; the deadline still held
    finally:
        zygote.sweep()
        worker.release()
        zygote.close()


def test_the_zygote_sweeps_a_worker_that_left_its_group_and_disabled_exit(tmp_path):
    source = (
        "import os, signal, threading, time\n"
        "os.setpgid(0, os.getpgid(os.getppid()))\n"
        "os._exit = lambda *a: None\n"
        "signal.signal(signal.SIGPIPE, signal.SIG_IGN)\n"
        "threading.Thread(target=lambda: time.sleep(3600)).start()\n"
    )
    zygote, worker = _zygote_worker(tmp_path, source)
    try:
        assert worker.hello(20.0)["ok"]
        worker.kill()  # by PID, through its parent
        zygote.sweep()
        assert not processes.descendants(zygote.pid)
        with pytest.raises(ProcessLookupError):
            os.kill(worker.pid, 0)
    finally:
        worker.release()
        zygote.close()


# ---------------------------------------------------------------- odd returns: wrong answers, never a crash


def _odd_values():  # noqa: ANN202 - a hypothesis strategy
    import numpy as np
    from hypothesis import strategies as st

    leaves = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**1023) + 1, max_value=2**1023 - 1)
        | st.sampled_from([2**63, -(2**63) - 1, 2**200, -(10**300)])  # past int64, still within a float
        | st.floats()
        | st.text(max_size=5)
        | st.builds(
            lambda shape, dtype: np.zeros(shape, dtype=dtype),
            st.lists(st.integers(0, 3), max_size=3),
            st.sampled_from(["f8", "f4", "f2", "i8", "u1", "bool"]),
        )
    )
    return st.recursive(
        leaves,
        lambda c: (
            st.lists(c, max_size=4) | st.tuples(c, c) | st.dictionaries(st.integers(0, 3), c, max_size=3)
        ),
        max_leaves=12,
    )


def test_any_plain_value_returned_is_passed_or_a_wrong_answer_with_a_small_report():
    import numpy as np
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tfprep.grading import protocol
    from tfprep.grading.harness import Failed, Judge

    judge = Judge.__new__(Judge)  # `expect` without a call needs no worker and no drill
    expected_values = [
        np.zeros((2, 3)),
        (np.zeros(2), np.zeros(3)),
        1.5,
        3,
        [1, 2],
        {"a": 1.0},
        "x",
        None,
        [[1.0]],
    ]

    @settings(max_examples=100, suppress_health_check=list(HealthCheck), deadline=None)
    @given(_odd_values(), st.sampled_from(expected_values))
    def check(got, expected):
        got = protocol.decode(protocol.encode(got))  # what the judge receives
        with np.errstate(all="ignore"):
            try:
                judge.expect(got, expected)
            except Failed as failed:
                assert failed.status == "wrong_answer"
                assert len(json.dumps(capped(failed.detail))) < 20_000

    check()


@pytest.mark.parametrize("got", [2**63, -(2**63) - 1, 2**200, [2**70], {"a": 2**64}])
def test_ints_past_int64_where_floats_are_expected_are_wrong_answers(got):
    from tfprep.grading.harness import Failed, Judge

    judge = Judge.__new__(Judge)
    expected = [1.5] if isinstance(got, list) else {"a": 1.5} if isinstance(got, dict) else 1.5
    with pytest.raises(Failed) as failed:
        judge.expect(got, expected)
    assert failed.value.status == "wrong_answer"


def test_a_stopped_zygote_is_noticed_not_waited_for(tmp_path):
    from tfprep.grading.sandbox import WorkerSpec, Zygote, ZygoteGone

    zygote = Zygote()
    try:
        zygote.sock.settimeout(0.3)  # ZYGOTE_TIMEOUT_S, shortened for the test
        os.kill(zygote.pid, signal.SIGSTOP)  # what a submission can do to its parent
        start = time.monotonic()
        with pytest.raises(ZygoteGone):
            zygote.spawn(WorkerSpec(path=str(tmp_path / "x.py"), framework="python"), str(tmp_path))
        assert time.monotonic() - start < 2.0
    finally:
        zygote.close()  # SIGKILL ends a stopped process too

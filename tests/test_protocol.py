"""The judge ↔ worker wire: plain data round-trips exactly; anything else is refused, never unpickled."""

from __future__ import annotations

import contextlib
import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tfprep.grading import invoke, protocol
from tfprep.grading.protocol import ProtocolError, Table, Unsupported


def roundtrip(value):
    return protocol.decode(protocol.encode(value))


def frame(head: dict, *blobs: bytes) -> bytes:
    data = json.dumps(head).encode()
    return protocol._HEADER.pack(len(data)) + data + b"".join(blobs)


@pytest.mark.parametrize(
    "array",
    [
        np.array(3.5),  # 0-d stays 0-d
        np.arange(12, dtype=np.float32).reshape(3, 4),
        np.arange(12.0).reshape(3, 4).T,  # not C-contiguous
        np.asfortranarray(np.arange(6.0).reshape(2, 3)),
        np.arange(5, dtype=">i4"),  # big-endian keeps its byte order
        np.array([True, False]),
        np.array([1 + 2j, -3j]),
        np.zeros((0, 3)),
        np.arange(24.0).reshape(2, 3, 4)[:, ::2, 1:],
    ],
)
def test_arrays_round_trip_exactly(array):
    back = roundtrip(array)
    assert back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)
    assert back.flags.writeable  # the submission may write into its inputs


@given(
    hnp.arrays(
        dtype=st.sampled_from([np.float64, np.float32, np.int64, np.int8, np.bool_, np.complex128]),
        shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5),
    )
)
def test_any_numeric_array_round_trips(array):
    back = roundtrip(array)
    assert back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)


def test_nested_plain_data_round_trips():
    value = {
        "a": (1, 2.5, None, True, "s"),
        (1, 2): [np.arange(3), {"x": float("nan")}],
        "big": 2**80,
        "inf": float("-inf"),
        "table": Table({(0,): [0.5, 0.5]}),
    }
    back = roundtrip(value)
    assert back["a"] == (1, 2.5, None, True, "s")
    np.testing.assert_array_equal(back[(1, 2)][0], np.arange(3))
    assert np.isnan(back[(1, 2)][1]["x"])
    assert back["big"] == 2**80 and back["inf"] == float("-inf")
    assert back["table"]([0]) == [0.5, 0.5]


@pytest.mark.parametrize(
    "value",
    [np.array([object()], dtype=object), np.array(["a"]), np.zeros(2, dtype=[("x", "f8")]), object()],
)
def test_non_numeric_values_are_refused_when_sent(value):
    with pytest.raises(Unsupported):
        protocol.encode(value)


@pytest.mark.parametrize(
    ("dtype", "shape", "blob"),
    [
        ("|O", [1], b"\0" * 8),  # an object array would be pointers: refused before reading
        ("V8", [1], b"\0" * 8),
        ("i4,f8", [1], b"\0" * 12),  # a structured dtype
        (["<f8"], [1], b"\0" * 8),  # not a string
        ("<f8", [3], b"\0" * 8),  # the bytes do not fill the shape
        ("<f8", "1", b"\0" * 8),
        ("no such dtype", [1], b"\0" * 8),
    ],
)
def test_forged_array_frames_are_refused(dtype, shape, blob):
    data = frame({"v": {"__nd__": 0, "dtype": dtype, "shape": shape}, "blobs": [len(blob)]}, blob)
    with pytest.raises(ProtocolError):
        protocol.decode(data)


def test_echo_args_returns_the_arguments_as_the_callee_left_them():
    def scale_in_place(x, k):
        x *= k
        return x.sum()

    call = protocol.Call("f", (np.arange(3.0), 2.0), echo_args=True)
    wire = protocol.Call.from_wire(protocol.decode(protocol.encode(call.to_wire())))
    result, (after, after_kwargs) = invoke.invoke({"f": scale_in_place}, wire, "numpy")
    assert result == 6.0 and after_kwargs == {}
    np.testing.assert_array_equal(after[0], [0.0, 2.0, 4.0])  # the callee's copy, modified
    np.testing.assert_array_equal(call.args[0], [0.0, 1.0, 2.0])  # the caller's array is untouched
    plain = protocol.Call("f", (np.arange(3.0), 2.0))
    assert invoke.invoke({"f": scale_in_place}, plain, "numpy") == 6.0


def test_steps_run_in_order_on_one_module():
    """A list of steps acts on one object: calls mutate it, dotted names read attributes, chaining gives None."""
    import torch

    class Counter(torch.nn.Module):
        def __init__(self, n):
            super().__init__()
            self.weight = torch.nn.Parameter(torch.full((2,), float(n)), requires_grad=False)

        def forward(self, x):
            return x * self.weight

        def bump(self):
            self.weight += 1.0
            return self

    steps = [
        ("forward", (np.array([1.0, 2.0]),)),
        ("bump",),
        ("forward", (np.array([1.0, 2.0]),)),
        ("weight.requires_grad",),
        ("weight",),
    ]
    call = protocol.Call("Counter", init=(3,), method=steps)
    got = invoke.invoke({"Counter": Counter}, protocol.Call.from_wire(roundtrip(call.to_wire())), "torch")
    assert [g.tolist() if isinstance(g, np.ndarray) else g for g in got] == [
        [3.0, 6.0],
        None,
        [4.0, 8.0],
        False,
        [4.0, 4.0],
    ]


# ---------------------------------------------------------------- bounds and deadlines (the worker is hostile)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ((0.5,) * 3_000_000, "items"),
        (10**400, "too large for a float"),
        (-(2**1023), "too large for a float"),
    ],
)
def test_values_past_the_bounds_are_refused_when_sent(value, says):
    with pytest.raises(Unsupported, match=says):
        protocol.encode(value)


def test_deep_nesting_is_refused_when_sent_and_when_made_plain():
    value = [1.0]
    for _ in range(protocol.MAX_DEPTH + 5):
        value = [value]
    with pytest.raises(Unsupported, match="nested"):
        protocol.encode(value)
    with pytest.raises(Unsupported, match="nested"):
        invoke.to_plain(value)


def test_the_largest_ints_that_fit_a_float_round_trip():
    for v in (2**53, -(2**53), 2**1023 - 1, -(2**1023 - 1)):
        assert roundtrip(v) == v


@pytest.mark.parametrize(
    "head",
    [
        {"v": [1], "blobs": [], "extra": 1},  # another field
        {"v": [1]},  # no blob sizes
        {"v": {"__bigint__": "1" * 400}, "blobs": []},  # past the float range
        {"v": {"__bigint__": "12"}, "blobs": []},  # small ints are never tagged
        {"v": {"__bigint__": "0x10"}, "blobs": []},
        {"v": 2**60, "blobs": []},  # an untagged big int
        {"v": {"__float__": "1e5"}, "blobs": []},  # only non-finite floats are tagged
        {"v": {"__tuple__": [], "x": 1}, "blobs": []},  # a tag with another key
        {"v": {"dtype": "<f8", "__nd__": 0, "shape": [1]}, "blobs": [8]},  # keys out of order: not ours
        {"v": {"__nd__": 1, "dtype": "<f8", "shape": [1]}, "blobs": [8]},  # no such blob
        {"v": {"__nd__": 0, "dtype": "<f8", "shape": [-1]}, "blobs": [8]},
        {"v": {"__dict__": [[{"__dict__": []}, 3]]}, "blobs": []},  # a dict as a key
        {"v": {"__dict__": [[1]]}, "blobs": []},  # not a pair
        {"v": {"passed": True}, "blobs": []},
    ],
)
def test_frames_an_honest_encoder_never_makes_are_refused(head):
    blobs = b"\0" * sum(head.get("blobs", []))
    with pytest.raises(ProtocolError):
        protocol.decode(frame(head, blobs))


def test_nesting_and_item_counts_are_bounded_when_decoded():
    deep = "[" * 5000 + "]" * 5000
    data = json.dumps({"v": None, "blobs": []}).replace("null", deep).encode()
    with pytest.raises(ProtocolError):
        protocol.decode(protocol._HEADER.pack(len(data)) + data)
    many = {"v": [0] * (protocol.MAX_ITEMS + 1), "blobs": []}
    with pytest.raises(ProtocolError):
        protocol.decode(frame(many))


def test_blob_sizes_must_add_up_to_the_frame():
    head = {"v": {"__nd__": 0, "dtype": "<f8", "shape": [1]}, "blobs": [8]}
    with pytest.raises(ProtocolError):
        protocol.decode(frame(head, b"\0" * 16))  # trailing bytes
    with pytest.raises(ProtocolError):
        protocol.decode(frame(head, b"\0" * 4))  # cut short


@given(st.binary(max_size=300))
def test_any_bytes_decode_to_data_or_a_protocol_error(data):
    with contextlib.suppress(ProtocolError):
        protocol.decode(data)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
        max_leaves=20,
    )
)
def test_any_json_head_decodes_to_data_or_a_protocol_error(value):
    with contextlib.suppress(ProtocolError):
        protocol.decode(frame({"v": value, "blobs": []}))


def test_a_reply_trickled_byte_by_byte_still_meets_its_deadline():
    import socket
    import threading
    import time

    ours, theirs = socket.socketpair()
    payload = protocol.encode([1.0] * 10)
    data = protocol._HEADER.pack(len(payload)) + payload
    stop = threading.Event()

    def trickle():
        for b in data:
            if stop.wait(0.05):
                return
            theirs.send(bytes([b]))

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    start = time.monotonic()
    with pytest.raises(TimeoutError):
        protocol.recv(ours, deadline=start + 0.4)
    assert time.monotonic() - start < 1.0  # each read got a byte in time; the deadline still held
    stop.set()
    thread.join()
    ours.close()
    theirs.close()

"""Running a call: a `Call` (protocol.py) made on a module or a dict of entries, with the framework's
tensors in and plain data out. The worker runs the submission's calls this way, and the judge the
reference's and the known mistakes' (so all three see the same inputs the same way)."""

from __future__ import annotations

from typing import Any

from tfprep.grading.protocol import MAX_DEPTH, MAX_ITEMS, Call, Missing, Table, Unsupported, _numpy


def to_framework(value: Any, framework: str) -> Any:
    """numpy arrays -> torch tensors for PyTorch drills (copies: the callee may write into them)."""
    np = _numpy()

    if isinstance(value, np.ndarray):
        if framework == "torch":
            import torch

            return torch.from_numpy(value.copy())
        return value.copy()
    if isinstance(value, tuple):
        return tuple(to_framework(x, framework) for x in value)
    if isinstance(value, list):
        return [to_framework(x, framework) for x in value]
    if isinstance(value, dict):
        return {k: to_framework(x, framework) for k, x in value.items()}
    return value


def to_plain(value: Any, depth: int = 0) -> Any:
    """Tensors -> numpy arrays, recursively; anything else that cannot cross the wire raises Unsupported."""
    np = _numpy()

    if depth > MAX_DEPTH:
        raise Unsupported("too_deep", MAX_DEPTH)
    mod = type(value).__module__ or ""
    if mod.startswith("torch") and hasattr(value, "detach"):
        return value.detach().cpu().resolve_conj().resolve_neg().numpy().copy()
    if isinstance(value, (np.ndarray, np.generic, bool, int, float, str, type(None))):
        return value
    if isinstance(value, (tuple, list)) and len(value) > MAX_ITEMS:
        raise Unsupported("long_sequence", type(value).__name__, len(value), MAX_ITEMS)
    if isinstance(value, tuple):
        return tuple(to_plain(x, depth + 1) for x in value)
    if isinstance(value, list):
        return [to_plain(x, depth + 1) for x in value]
    if isinstance(value, dict):
        return {to_plain(k, depth + 1): to_plain(x, depth + 1) for k, x in value.items()}
    raise Unsupported("object_type", type(value).__name__)


def invoke(namespace: Any, call: Call, framework: str) -> Any:
    """Run `call` against `namespace` (a module or a dict of entries) and return plain data.

    With `call.echo_args`, return `(result, (args, kwargs))`: the arguments as they are after the call, so the
    judge sees an input modified in place."""
    value, args, kwargs = _invoke(namespace, call, framework)
    if not call.echo_args:
        return value
    return value, (echoed(args), echoed(kwargs))


def echoed(value: Any) -> Any:
    """An argument after the call as plain data (a Table, given as a function, is echoed as None)."""
    if isinstance(value, Table):
        return None
    if isinstance(value, tuple):
        return tuple(echoed(x) for x in value)
    if isinstance(value, list):
        return [echoed(x) for x in value]
    if isinstance(value, dict):
        return {k: echoed(x) for k, x in value.items()}
    try:
        return to_plain(value)
    except Unsupported:
        return None


def _invoke(namespace: Any, call: Call, framework: str) -> tuple[Any, Any, Any]:
    get = namespace.get if isinstance(namespace, dict) else lambda n: getattr(namespace, n, None)
    target = get(call.entry)
    if target is None:
        raise Missing(call.entry)
    args = to_framework(call.args, framework)
    kwargs = to_framework(call.kwargs, framework)
    if call.init is None:
        if framework == "torch":
            import torch

            with torch.no_grad():
                return to_plain(target(*args, **kwargs)), args, kwargs
        return to_plain(target(*args, **kwargs)), args, kwargs
    import torch

    obj = target(*to_framework(call.init, framework), **to_framework(call.init_kwargs, framework))
    if call.method is None:
        return None, args, kwargs
    if call.state is not None:
        state = to_framework(call.state, framework)
        dtypes = {t.dtype for t in state.values()}
        if len(dtypes) == 1:
            obj.to(dtypes.pop())
        obj.load_state_dict(state, strict=True)
    if hasattr(obj, "eval"):
        obj.eval()
    with torch.no_grad():
        if isinstance(call.method, list):
            return run_steps(obj, call.method, framework), args, kwargs
        return to_plain(getattr(obj, call.method)(*args, **kwargs)), args, kwargs


def run_steps(obj: Any, steps: list, framework: str) -> list:
    """Several steps on one object, in order, e.g. [("merge",), ("forward", (x,)), ("base.weight.requires_grad",)].

    A step is (name,), (name, args) or (name, args, kwargs). A dotted name walks attributes; what it reaches is
    called with the step's arguments when callable (a method, a submodule), else read as it is (a tensor, a
    flag). Returns each step's result as plain data; a method that returns the object itself (chaining) gives
    None."""
    results = []
    for step in steps:
        name, args, kwargs = (*tuple(step), (), {})[:3]
        target = obj
        for part in str(name).split("."):
            target = getattr(target, part)
        if callable(target):
            target = target(*to_framework(tuple(args), framework), **to_framework(dict(kwargs), framework))
        results.append(None if target is obj else to_plain(target))
    return results

"""The run-time half of the forbidden-call rules (the static half is static_check.py). Runs in the worker.

Three layers, because torch reaches one kernel in many ways (kernel_aliases.py):
1. the dotted names the drill lists are replaced by a tripwire;
2. every attribute of a loaded `torch…` module (and of `torch.ops.aten`) whose name is in a forbidden family
   is replaced too, so private spellings (`torch._scaled_dot_product_attention_math`) trip as well;
3. a torch-function mode sees every torch call, whatever Python spelling reached it, including the read-only
   `torch._C._VariableFunctions.*` and operators fetched by string, and trips on forbidden names.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable

from tfprep.grading import kernel_aliases


def _tripwire(dotted: str, error: type[BaseException]):
    """`error(code, name)` is raised with a reason code of reasons.py (call_blocked, subclass_blocked)."""

    class Tripwire:
        """Calling it, or reaching an overload through it (`.default`), raises."""

        def __call__(self, *_a, **_k):
            raise error("call_blocked", dotted)

        def __getattr__(self, name: str):
            raise error("call_blocked", f"{dotted}.{name}")

        def __mro_entries__(self, bases):  # subclassing a forbidden class
            raise error("subclass_blocked", dotted)

    return Tripwire()


def _resolve_parent(dotted: str):
    """The object holding the last attribute of `dotted` (module or namespace), or None."""
    parts = dotted.split(".")
    try:
        obj = sys.modules.get(parts[0]) or importlib.import_module(parts[0])
    except Exception:  # noqa: BLE001 - not importable here means not callable either
        return None
    for i, part in enumerate(parts[1:-1], start=1):
        name = ".".join(parts[: i + 1])
        nxt = sys.modules.get(name)
        if nxt is None:
            nxt = getattr(obj, part, None)
        if nxt is None:
            try:
                nxt = importlib.import_module(name)
            except Exception:  # noqa: BLE001
                return None
        obj = nxt
    return obj


def _set(holder, attr: str, dotted: str, error: type[BaseException]) -> None:
    try:
        if hasattr(holder, attr):
            setattr(holder, attr, _tripwire(dotted, error))
    except (AttributeError, TypeError):  # read-only C types: layer 3 covers them
        pass


def install(forbidden_calls: list[str], error: type[BaseException]) -> Callable[[], None] | None:
    for dotted in forbidden_calls:
        holder = _resolve_parent(dotted)
        if holder is not None:
            _set(holder, dotted.rpartition(".")[2], dotted, error)
    names = kernel_aliases.kernel_names(forbidden_calls)
    if not names or "torch" not in sys.modules:
        return None
    import types

    import torch

    for mod_name, mod in list(sys.modules.items()):
        if not (mod_name == "torch" or mod_name.startswith("torch.")) or not isinstance(
            mod, types.ModuleType
        ):
            continue
        try:
            found = names & vars(mod).keys()
        except TypeError:
            continue
        for attr in found:
            if not isinstance(vars(mod)[attr], types.ModuleType):
                _set(mod, attr, f"{mod_name}.{attr}", error)
    for attr in names:
        _set(torch.ops.aten, attr, f"torch.ops.aten.{attr}", error)
    return _guard(names, error)


def _guard(names: frozenset[str], error: type[BaseException]) -> Callable[[], None]:
    from torch.overrides import TorchFunctionMode

    class ForbiddenKernels(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):  # noqa: ANN001 - torch's signature
            packet = getattr(func, "_overloadpacket", None)
            name = getattr(packet or func, "__name__", "") or ""
            if name.split(".")[0] in names:
                raise error("call_blocked", str(getattr(func, "__name__", name)))
            return func(*args, **(kwargs or {}))

    mode = ForbiddenKernels()
    mode.__enter__()
    return lambda: mode.__exit__(None, None, None)

"""Why the worker could not answer, as data: a reason code and its plain fields, never a sentence; and
the sentences the judge makes of a failure the worker reported (reason, exception, traceback frames).

The worker is untrusted and does not know the user's language (its zygote is forked before the request is
read), so it sends `[code, *fields]` and the judge composes the sentence with tr(). The fields are values
filled into the judge's own template, never read as a template themselves.
"""

from __future__ import annotations

from tfprep.i18n import tr

# code -> the kinds of its fields: "text" (a name, a repr; capped) or "count" (a non-negative int)
FIELDS: dict[str, tuple[str, ...]] = {
    # a rule of the drill, tripped at run time (worker._BlockImports, tripwires.py)
    "import_blocked": ("text",),
    "call_blocked": ("text",),
    "subclass_blocked": ("text",),
    # the submission left on its own
    "exit_called": ("text",),
    "output_limit": (),
    # protocol.Unsupported: a value that cannot cross the wire
    "too_many_items": ("count",),
    "too_deep": ("count",),
    "int_too_large": (),
    "array_dtype": ("text",),
    "too_large_mb": ("count",),
    "object_type": ("text",),
    "long_sequence": ("text", "count", "count"),
    # protocol.Missing: the entry the call names is not there
    "not_defined": ("text",),
}
TEXT_LIMIT = 200


def valid(reason: object) -> bool:
    """A reason as an honest worker sends it: a known code with fields of the right kinds."""
    if not (isinstance(reason, list) and reason and reason[0] in FIELDS):
        return False
    kinds = FIELDS[reason[0]]
    if len(reason) != 1 + len(kinds):
        return False
    for kind, value in zip(kinds, reason[1:], strict=True):
        if kind == "text" and not (isinstance(value, str) and len(value) <= TEXT_LIMIT):
            return False
        if kind == "count" and not (type(value) is int and 0 <= value < 2**62):
            return False
    return True


def capped(reason: list | None) -> list | None:
    """The reason with its text fields cut to TEXT_LIMIT (a class name can be as long as the user likes)."""
    if reason is None:
        return None
    return [reason[0], *(v[:TEXT_LIMIT] if isinstance(v, str) else v for v in reason[1:])]


def text(reason: list | tuple) -> str:
    """The reason as a phrase in the current language."""
    code, *f = reason
    if code == "import_blocked":
        return tr("import of `{name}` is not allowed in this drill", name=f[0])
    if code == "call_blocked":
        return tr("`{name}` is not allowed in this drill", name=f[0])
    if code == "subclass_blocked":
        return tr("subclassing `{name}` is not allowed in this drill", name=f[0])
    if code == "exit_called":
        return tr("your code called exit ({code})", code=f[0])
    if code == "output_limit":
        return tr("printed more than the output limit allows")
    if code == "too_many_items":
        return tr("a value of over {n} items (more than the grader takes)", n=f[0])
    if code == "too_deep":
        return tr("a value nested deeper than {n} levels", n=f[0])
    if code == "int_too_large":
        return tr("an integer too large for a float")
    if code == "array_dtype":
        return tr("an array of dtype {dtype}", dtype=f[0])
    if code == "too_large_mb":
        return tr("a value too large to check ({mb} MB)", mb=f[0])
    if code == "object_type":
        return tr("an object of type {type}", type=f[0])
    if code == "long_sequence":
        return tr("a {type} of {n} items (the grader takes at most {limit})", type=f[0], n=f[1], limit=f[2])
    if code == "not_defined":
        return tr("`{name}` is not defined", name=f[0])
    return str(code)


def call_failure(entry: str, reply: dict) -> str:
    """What a call that raised did, for people: from the reply's reason (data) when it has one, else from
    the exception's own text (the submission's or Python's words, shown as they are)."""
    where = traceback(reply["frames"])
    reason = reply.get("reason")
    if reply["kind"] == "bad_return":
        return tr(
            "`{entry}` returned {what}; return tensors/arrays, numbers or lists as the statement says",
            entry=entry,
            what=text(reason),  # always there (messages.py)
        )
    if reason:  # a rule tripped, exit called, the output limit, a missing entry (LookupError)
        what = text(reason)
        if reason[0] == "not_defined":  # raised as a LookupError, and said so
            what = f"LookupError: {what}"
        return tr("`{entry}` raised {what}", entry=entry, what=what) + where
    if reply["exc_type"] == "NotImplementedError":
        return tr("`{entry}` is not implemented yet ({what})", entry=entry, what=reply["message"])
    return tr("`{entry}` raised {what}", entry=entry, what=reply["message"]) + where


def traceback(frames: list) -> str:
    """The submission's frames of a traceback, one line each after a newline ("" for none)."""
    return "".join(
        "\n" + tr("  line {line}, in {function}: {code}", line=line, function=function, code=code)
        for line, function, code in frames
    )

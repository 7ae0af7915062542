"""What can be judged without running the submission: syntax, forbidden imports and calls, entry points.

Pure (stdlib `ast` only), so it runs in the light CLI process before anything heavy starts.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from tfprep.grading import kernel_aliases

ALWAYS_FORBIDDEN_IMPORTS = ("tfprep",)  # the grader, its references and suites


@dataclass(frozen=True)
class Finding:
    """What the check found, as data: the words are made from `what` and `fields` in the user's language
    (`text`), and the location is `line` and `col`, never part of the text."""

    verdict: str  # compile_error | rule_violation
    what: str  # the kind of finding: a key of text()'s table
    fields: dict = field(default_factory=dict)
    line: int | None = None
    col: int | None = None  # 1-based column of the caret, when known

    def text(self, lang: str = "en") -> str:
        return finding_text(self, lang)


def finding_text(finding: Finding, lang: str = "en") -> str:
    """The finding in words, in `lang` (without its location)."""
    from tfprep.i18n import tr_in

    def tr(text: str, **fields: object) -> str:
        return tr_in(lang, text, **fields)

    f = finding.fields
    texts = {
        # Python's own words, framed
        "syntax": lambda: tr(
            "{python_error}: {python_detail}", python_error=f["error"], python_detail=f["detail"]
        ),
        # Python's words alone in en (e.g. null bytes, nesting too deep for the parser); framed in zh
        "unparsable": lambda: tr("{python_problem}", python_problem=f["detail"]),
        "import": lambda: tr("`import {name}` is not allowed in this drill ({hit} is forbidden)", **f),
        "from_import": lambda: tr(
            "`from {module} import …` is not allowed in this drill ({hit} is forbidden)", **f
        ),
        "name": lambda: tr("`{name}` is not allowed in this drill", **f),
        "by_name": lambda: tr("reaching `{name}` by name is not allowed in this drill", **f),
        "operator": lambda: tr("the operator `{name}` is not allowed in this drill", **f),
        "through": lambda: tr("reaching `{name}` through {fn} is not allowed in this drill", **f),
        "importing": lambda: tr("importing `{name}` is not allowed in this drill ({hit} is forbidden)", **f),
        "missing_entry": lambda: tr(
            "`{name}` is not defined at the top level of your file; the statement asks for {name}{signature}",
            **f,
        ),
        "signature": lambda: tr(
            "`{name}` takes ({have}), but the statement's signature is {name}{signature}", **f
        ),
    }
    return texts[finding.what]()


def located(finding: Finding, source: str, filename: str, lang: str = "en") -> dict:
    """The finding as a compiler prints it: `file:line:col: message`, the source line and a caret under it."""
    where = filename
    if finding.line:
        where += f":{finding.line}"
        if finding.col:
            where += f":{finding.col}"
    message = finding.text(lang)
    out = {"file": filename, "line": finding.line, "col": finding.col, "message": f"{where}: {message}"}
    lines = source.splitlines()
    if finding.line and 1 <= finding.line <= len(lines):
        raw = lines[finding.line - 1]
        out["source_line"] = _inert(raw.expandtabs(4))
        if finding.col:
            before = raw[: min(max(finding.col, 1), len(raw) + 1) - 1]
            out["caret"] = " " * len(_inert(before.expandtabs(4))) + "^"
    return out


def _inert(text: str) -> str:
    """Control characters (an escape sequence in a comment) shown as \\xNN, never sent to the terminal."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def count_tests(suite: Path) -> int:
    """How many tests a hidden suite holds, without importing it: its top-level `test_*` functions, times the
    length of a literal `pytest.mark.parametrize` list. Shown as the N of `0/N` when nothing ran."""
    total = 0
    for file in sorted(suite.glob("test_*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                n = 1
                for dec in node.decorator_list:
                    if (
                        isinstance(dec, ast.Call)
                        and isinstance(dec.func, ast.Attribute)
                        and dec.func.attr == "parametrize"
                        and len(dec.args) >= 2
                        and isinstance(dec.args[1], (ast.List, ast.Tuple))
                    ):
                        n *= len(dec.args[1].elts)
                total += n
    return total


def check_source(
    source: str,
    entries: dict[str, str],
    forbidden_imports: tuple[str, ...] = (),
    forbidden_calls: tuple[str, ...] = (),
) -> Finding | None:
    try:
        tree = ast.parse(source)
        compile(tree, "<submission>", "exec")
    except SyntaxError as exc:
        return Finding(
            "compile_error",
            "syntax",
            {"error": type(exc).__name__, "detail": exc.msg},
            exc.lineno,
            exc.offset or None,
        )
    except (ValueError, RecursionError) as exc:
        return Finding("compile_error", "unparsable", {"detail": str(exc)})
    return _rules(
        tree, tuple(forbidden_imports) + ALWAYS_FORBIDDEN_IMPORTS, tuple(forbidden_calls)
    ) or _entries(tree, entries)


def _matches(name: str, prefixes: tuple[str, ...]) -> str | None:
    for p in prefixes:
        if name == p or name.startswith(p + "."):
            return p
    return None


def _rules(tree: ast.Module, imports: tuple[str, ...], calls: tuple[str, ...]) -> Finding | None:
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if hit := _matches(a.name, imports):
                    return _rule(node, "import", name=a.name, hit=hit)
                aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if hit := _matches(node.module, imports):
                return _rule(node, "from_import", module=node.module, hit=hit)
            for a in node.names:
                full = f"{node.module}.{a.name}"
                if (
                    _matches(full, imports)
                    or full in calls
                    or kernel_aliases.forbidden_dotted(full, kernel_aliases.kernel_names(calls))
                ):
                    return _rule(node, "name", name=full)
                aliases[a.asname or a.name] = full
    last_parts = {c.rsplit(".", 1)[-1]: c for c in calls}
    kernels = kernel_aliases.kernel_names(calls)
    banned = kernels | kernel_aliases.bypass_names(calls)
    for name in sorted(banned):
        last_parts.setdefault(name, f"torch.….{name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            dotted = _dotted(node, aliases)
            if dotted and (
                dotted in calls
                or any(dotted.startswith(c + ".") for c in calls)
                or kernel_aliases.forbidden_dotted(dotted, banned)
            ):
                return _rule(node, "name", name=dotted)
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.slice, ast.Constant)
            and node.slice.value in banned
        ):
            return _rule(node, "by_name", name=node.slice.value)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if kernel_aliases.aten_string(node.value, kernels):
                return _rule(node, "operator", name=node.value)
        elif isinstance(node, ast.Call):
            fn = _dotted(node.func, aliases) if isinstance(node.func, (ast.Attribute, ast.Name)) else None
            strings = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            reaches = fn in _GETATTRS or (fn or "").rsplit(".", 1)[-1] in ("__getattr__", "__getattribute__")
            if reaches and strings and strings[0] in last_parts:
                return _rule(node, "through", name=last_parts[strings[0]], fn=fn)
            if (
                fn in ("__import__", "importlib.import_module")
                and strings
                and (hit := _matches(strings[0], imports))
            ):
                return _rule(node, "importing", name=strings[0], hit=hit)
    return None


def _rule(node: ast.AST, what: str, **fields: str) -> Finding:
    return Finding("rule_violation", what, fields, node.lineno, node.col_offset + 1)


_GETATTRS = ("getattr", "builtins.getattr", "operator.attrgetter", "object.__getattribute__")


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    base = aliases.get(node.id, node.id)
    return ".".join([base, *reversed(parts)])


def param_names(signature: str) -> list[str]:
    """'(q, k, v, mask=None)' -> ['q', 'k', 'v', 'mask']."""
    return _params(signature)[0]


def _params(signature: str) -> tuple[list[str], int]:
    """'(q, k, v, mask=None)' or 'class (d_model, num_heads, bias=True)' -> (names, how many are required)."""
    inner = signature.split("(", 1)[1].rsplit(")", 1)[0]
    fn = ast.parse(f"def f({inner}): pass").body[0]
    names = [a.arg for a in fn.args.posonlyargs + fn.args.args]
    return names, len(names) - len(fn.args.defaults)


def _entries(tree: ast.Module, entries: dict[str, str]) -> Finding | None:
    defined: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Name):
                    defined[t.id] = node
        elif isinstance(node, (ast.ImportFrom, ast.Import)):
            for a in node.names:
                defined[a.asname or a.name.split(".")[0]] = node
    for name, signature in entries.items():
        node = defined.get(name)
        if node is None:
            return Finding(
                "compile_error",
                "missing_entry",
                {"name": name, "signature": signature.removeprefix("class ")},
            )
        want, required = _params(signature)
        fn = node
        if isinstance(node, ast.ClassDef):
            fn = next((b for b in node.body if isinstance(b, ast.FunctionDef) and b.name == "__init__"), None)
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        have = [a.arg for a in fn.args.posonlyargs + fn.args.args]
        if isinstance(node, ast.ClassDef) and have:
            have = have[1:]  # self
        have_required = len(have) - len(fn.args.defaults)
        if fn.args.vararg is None and (len(have) < len(want) or have_required > required):
            return Finding(
                "compile_error",
                "signature",
                {"name": name, "have": ", ".join(have), "signature": signature.removeprefix("class ")},
                fn.lineno,
                fn.col_offset + 1,
            )
    return None

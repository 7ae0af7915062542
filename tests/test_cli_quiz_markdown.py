"""ui/markdown.py: LaTeX → Unicode inside markdown, code left alone."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from tfprep.ui.markdown import join_cjk_lines, latex_to_unicode, markdown, render_math


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"\sqrt{d_k}", "√dₖ"),
        (r"\frac{QK^\top}{\sqrt{d_k}}", "QKᵀ/√dₖ"),
        (r"QK^T", "QKᵀ"),
        (r"\sqrt{a+b}", "√(a+b)"),
        (r"\sum_{i=1}^{n} x_i", "∑ᵢ₌₁ⁿ xᵢ"),
        (r"\mathrm{softmax}(x_i)=\frac{e^{x_i}}{\sum_j e^{x_j}}", "softmax(xᵢ)=e^(xᵢ)/∑ⱼ e^(xⱼ)"),
        (r"\theta_{t+1} = \theta_t - \eta \nabla_\theta \mathcal{L}", "θₜ₊₁ = θₜ - η∇_θ ℒ"),
        (r"\log p(x)", "log p(x)"),
        (r"O(\log_k n)", "O(logₖ n)"),
        (r"\|x\|_2", "‖x‖₂"),
        (r"W_Q \in \mathbb{R}^{d \times d_k}", "W_Q ∈ ℝ^(d × dₖ)"),
        (r"d_{model}", "d_model"),
        (r"10^{-4}", "10⁻⁴"),
        (r"x^{(l)}", "x⁽ˡ⁾"),
        (r"PE_{(pos,2i)}", "PE_(pos,2i)"),
        (r"a \leq b", "a ≤ b"),
        (r"f(x)=\begin{cases} x & x>0 \\ 0 & \text{otherwise}\end{cases}", "f(x)={x, x>0; 0, otherwise}"),
        (r"\beta_1, \beta_2", "β₁, β₂"),
        # a fraction whose side is a sum or a difference keeps it together (LayerNorm read "x - μ/√(σ² + ε)")
        (r"\frac{x - \mu}{\sqrt{\sigma^2 + \varepsilon}} \odot \gamma + \beta", "(x - μ)/√(σ² + ε) ⊙ γ + β"),
        (r"\dfrac{a}{b - c}", "a/(b - c)"),
        (r"\beta,\qquad \mu = \frac{1}{D}", "β, μ = 1/D"),
        (r"\frac{\partial L}{\partial x}", "∂L/∂x"),
    ],
)
def test_latex_to_unicode(tex, text):
    assert latex_to_unicode(tex) == text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=r"\{}^_$&abcdxyz019 +-=()[]|frac sqrt", max_size=40))
def test_latex_to_unicode_never_raises(tex):
    assert isinstance(latex_to_unicode(tex), str)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_render_math_never_raises_and_keeps_text_without_math(md):
    out = render_math(md)
    if "$" not in md:
        assert out == md


def test_code_is_never_touched():
    md = "Inline `$x^2$` stays.\n\n```python\nprice = '$a$'  # $\\sqrt{x}$\n```\n\n~~~\n$$y$$\n~~~\n"
    assert render_math(md) == md


def test_math_spans_are_replaced():
    out = render_math("Scale by $\\frac{1}{\\sqrt{d_k}}$, i.e. $QK^\\top$.")
    assert out == "Scale by 1/√dₖ, i.e. QKᵀ."


def test_dollars_that_are_not_math_stay():
    for text in ("It costs $5 and $10.", "A lone $ sign", "Escaped \\$x\\$ dollars", "$ not math $"):
        assert render_math(text) == text


def test_display_math_gets_its_own_paragraph():
    out = render_math("Text before\n$$\n\\mathrm{Attention}(Q,K,V)\n$$\nafter.\n")
    assert "\n\nAttention(Q,K,V)\n\nafter." in out.replace(" \n", "\n") or "\nAttention(Q,K,V)\n" in out
    assert "$" not in out


def test_markdown_specials_in_math_are_escaped():
    # `*`, `_` and `|` from math must not turn into emphasis or break a table cell
    out = render_math("| a | $|x|$ |\n|---|---|\n| b | $a*b*c$ and $x_{ab}$ |\n")
    assert "\\|x\\|" in out and "a\\*b\\*c" in out
    rendered = _render(out)
    assert "|x|" in rendered and "a*b*c" in rendered


def _render(md: str) -> str:
    console = Console(width=100, record=True, color_system=None, file=io.StringIO())
    console.print(markdown(md))
    return console.export_text()


def test_markdown_renders_math_and_highlights_code():
    md = "Why $\\sqrt{d_k}$?\n\n```python\ndef f(x):\n    return x  # $keep$\n```\n"
    console = Console(
        width=100, record=True, color_system="truecolor", force_terminal=True, file=io.StringIO()
    )
    console.print(markdown(md))
    text = console.export_text(clear=False)
    assert "Why √dₖ?" in text and "return x  # $keep$" in text
    styled = console.export_text(styles=True)
    assert "\x1b[38;2;102;217;239" in styled  # keywords in the code theme's colour: highlighted


def test_malformed_latex_is_shown_as_written_and_quietly(capfd):
    assert latex_to_unicode("\\frac{") == "\\frac{"
    assert capfd.readouterr().err == ""


def test_a_line_break_inside_chinese_is_not_a_space():
    md = "所以把\n它们存在 cache 里\n（逆 CDF）：\n用均匀随机数\nsoftmax 会\nthen English\n\n新段落\n\n- 一\n- 二\n"
    assert join_cjk_lines(md) == (
        "所以把它们存在 cache 里（逆 CDF）：用均匀随机数\nsoftmax 会\nthen English\n\n新段落\n\n- 一\n- 二\n"
    )
    assert join_cjk_lines("硬换行  \n下一行") == "硬换行  \n下一行"  # two trailing spaces: a hard break
    code = "```python\n# 中文\n# 注释\n```\n"
    assert join_cjk_lines(code) == code

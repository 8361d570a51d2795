"""The interface's language: English (the default) or Chinese (``--lang zh`` or ``XXGK_LANG=zh``).

What is translated: the CLI's own lines and table headers (``_``), error lines raised by the
libraries (``translate_error``: patterns over the English message, so library code stays
English), and ``--help`` (``translate_command``: every command's and option's help, paragraph by
paragraph, and the headings of Click's help pages). What is not: JSON keys, TSV/CSV headers of
listings, log lines -- scripts and logs read the same in every language.

The catalog is data, ``archive/locale/<lang>.json``:

    "messages"  {English template: translation}; templates keep their ``{name}`` fields
    "patterns"  [[regex over an English error line, replacement with \\1 groups], ...]
    "help"      {English paragraph, whitespace collapsed: translation}
    "headings"  {"Usage:": ..., "Options": ...}

A text without a translation stays English: a missing entry never breaks a command.
"""
from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

__all__ = ["LANGS", "DEFAULT_LANG", "set_lang", "get_lang", "lang_from", "_", "translate_error",
           "translate_help", "translate_command", "catalog"]

LANGS = ("en", "zh")
DEFAULT_LANG = "en"
ENV = "XXGK_LANG"
_LOCALE_DIR = Path(__file__).parent / "locale"
_state = {"lang": DEFAULT_LANG}


def normalize_lang(value: str | None) -> str | None:
    if not value:
        return None
    v = value.strip().lower().replace("_", "-")
    if v in ("zh", "zh-cn", "zh-hans", "cn", "chinese", "中文"):
        return "zh"
    if v in ("en", "en-us", "en-gb", "english"):
        return "en"
    return None


def lang_from(argv: Iterable[str], environ: Mapping[str, str] | None = None) -> str:
    """The language asked on the command line (``--lang X``, ``--lang=X``), else by XXGK_LANG, else English."""
    args = list(argv)
    for i, a in enumerate(args):
        if a == "--":
            break
        if a == "--lang" and i + 1 < len(args):
            return normalize_lang(args[i + 1]) or DEFAULT_LANG
        if a.startswith("--lang="):
            return normalize_lang(a.split("=", 1)[1]) or DEFAULT_LANG
    env = os.environ if environ is None else environ
    return normalize_lang(env.get(ENV)) or DEFAULT_LANG


def set_lang(lang: str) -> None:
    _state["lang"] = normalize_lang(lang) or DEFAULT_LANG


def get_lang() -> str:
    return _state["lang"]


@lru_cache(maxsize=4)
def catalog(lang: str) -> dict[str, Any]:
    path = _LOCALE_DIR / f"{lang}.json"
    if lang == DEFAULT_LANG or not path.is_file():
        return {"messages": {}, "patterns": [], "help": {}, "headings": {}}
    data = json.loads(path.read_text(encoding="utf-8"))
    data["patterns"] = [(re.compile(p), r) for p, r in data.get("patterns", [])]
    data["help"] = {_collapse(k): v for k, v in data.get("help", {}).items()}
    return data


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _(text: str, /, **fields: Any) -> str:
    """``text`` in the current language, its ``{fields}`` filled."""
    t = catalog(get_lang())["messages"].get(text, text)
    return t.format(**fields) if fields else t


def translate_error(message: str) -> str:
    """An English error line from any package, in the current language (first matching pattern)."""
    cat = catalog(get_lang())
    if message in cat["messages"]:
        return cat["messages"][message]
    for pattern, repl in cat["patterns"]:
        m = pattern.search(message)
        if m:
            return pattern.sub(repl, message, count=1)
    return message


def translate_help(text: str | None) -> str | None:
    """Help text paragraph by paragraph; a paragraph's closing "Example: …" keeps its command."""
    if not text or get_lang() == DEFAULT_LANG:
        return text
    table = catalog(get_lang())["help"]
    example = catalog(get_lang())["messages"].get("Example:", "Example:")

    def one(paragraph: str) -> str:
        flat = _collapse(paragraph)
        if flat in table:
            return table[flat]
        head, sep, tail = flat.partition("Example: ")
        if sep and (not head or head.strip() in table):
            said = table.get(head.strip(), head.strip())
            return (said + " " if said else "") + example + " " + tail.replace(" Example: ", f" {example} ")
        return paragraph

    parts = re.split(r"(\n\s*\n)", text)
    return "".join(one(p) if p.strip() else p for p in parts)


def translate_command(cmd: Any) -> None:
    """Translate a Click command tree's help in place (commands, options, arguments, headings);
    in every language, help text is wrapped by terminal cells (a Chinese character takes two)."""
    _install_cell_wrapping()
    if get_lang() == DEFAULT_LANG:
        return
    _install_headings()
    stack = [cmd]
    while stack:
        c = stack.pop()
        c.help = translate_help(c.help)
        if getattr(c, "short_help", None):
            c.short_help = translate_help(c.short_help)
        for p in getattr(c, "params", ()):
            if getattr(p, "help", None):
                p.help = translate_help(p.help)
        stack.extend(getattr(c, "commands", {}).values())


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)


def _install_cell_wrapping() -> None:
    """Click wraps help text by characters; a Chinese character takes two terminal cells."""
    from rich.cells import cell_len
    from typer._click import formatting

    if getattr(formatting, "_xxgk_cells", False):
        return
    original_wrap, original_len = formatting.wrap_text, formatting.term_len

    def term_len(text: str) -> int:
        return original_len(text) + (cell_len(text) - len(text) if _has_cjk(text) else 0)

    def wrap_text(text: str, width: int = 78, initial_indent: str = "", subsequent_indent: str = "",
                  preserve_paragraphs: bool = False) -> str:
        if not _has_cjk(text):
            return original_wrap(text, width, initial_indent, subsequent_indent, preserve_paragraphs)
        from .output import fold

        blocks = re.split(r"\n\s*\n", text) if preserve_paragraphs else [text]
        out = []
        for block in blocks:
            if block.startswith("\b"):
                out.append("\n".join(initial_indent + line for line in block.splitlines()[1:]))
                continue
            lines = fold(initial_indent + _collapse(block), width, subsequent_indent)
            out.append("\n".join(line.plain.rstrip() for line in lines))
        return "\n\n".join(out)

    formatting.wrap_text = wrap_text  # type: ignore[assignment]
    formatting.term_len = term_len  # type: ignore[assignment]
    formatting._xxgk_cells = True  # type: ignore[attr-defined]


def _install_headings() -> None:
    """Click's help headings ("Usage:", "Options") and its --help option in the current language."""
    from typer._click import core, formatting

    base = formatting.HelpFormatter
    if getattr(base, "_xxgk_translated", False):
        return
    original_help_option = core.Command.get_help_option

    def get_help_option(self, ctx):  # the --help option is made on demand: translated then
        opt = original_help_option(self, ctx)
        if opt is not None and opt.help and not getattr(opt, "_xxgk_translated", False):
            opt.help = translate_help(opt.help)
            opt._xxgk_translated = True
        return opt

    core.Command.get_help_option = get_help_option  # type: ignore[method-assign]

    headings = catalog(get_lang()).get("headings", {})
    original_usage, original_section = base.write_usage, base.section

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        return original_usage(self, prog, args, headings.get("Usage: ", prefix) if prefix is None else prefix)

    def section(self, name: str):
        return original_section(self, headings.get(name, name))

    base.write_usage = write_usage  # type: ignore[method-assign]
    base.section = section  # type: ignore[method-assign]
    base._xxgk_translated = True  # type: ignore[attr-defined]

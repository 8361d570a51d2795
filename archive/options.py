"""Command-line parameters defined once, as data: Typer builds a command from them, and the fast
start of `xxgk search` (``archive.cli``) parses its arguments with the same definitions.

    Param(name, flags, kind, default, help, ...)   one option (``--region``), or the command's
                                                   argument (no flags: the words of a search)
    typer_command(run, params) -> function         ``run`` as Typer sees a command: its signature
                                                   made of the params, each an ``Annotated`` Typer
                                                   option or argument
    parse_plain(params, args, environ) -> dict | None
                                                   the values Click would give, for a plain command
                                                   line; None for anything else (``--help``, an
                                                   unknown option, a value to check or convert,
                                                   a usage mistake): then Click parses, and says

Why: Typer 0.29 converts every value through a pydantic ``TypeAdapter``; importing Typer, Click,
pydantic and rich costs a search four times what the search itself does. The plain cases need
none of it, and the one definition keeps both parsers in step (tests/test_startup_fast.py checks
that they give the same values).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Sequence

from index.value_class import value_class

__all__ = ["Param", "typer_command", "parse_plain"]


@value_class(frozen=True)
class Param:
    name: str  # the keyword the command's function takes
    flags: tuple[str, ...] = ()  # ("--year", "--years"); none: the command's argument (multiple: any number of words)
    kind: type = str  # str, int, bool (a flag) or Path
    default: Any = None
    help: str = ""
    multiple: bool = False  # repeatable: the values in a list
    optional: bool = True  # Optional[...]: the value may be None
    envvar: str | None = None
    show_default: bool = True
    min: int | None = None
    max: int | None = None
    hidden: bool = False  # left out of --help (an option kept for old command lines)

    @property
    def is_argument(self) -> bool:
        return not self.flags

    def annotation(self) -> Any:
        """The ``Annotated`` type Typer reads this parameter from."""
        from typing import Annotated

        import typer

        base: Any = list[self.kind] if self.multiple else self.kind
        if self.optional and self.kind is not bool and not self.is_argument:
            base = Optional[base]
        if self.is_argument:
            info = typer.Argument(help=self.help, show_default=self.show_default)
        else:
            extra = {k: v for k, v in (("envvar", self.envvar), ("min", self.min), ("max", self.max)) if v is not None}
            if self.hidden:
                extra["hidden"] = True
            info = typer.Option(*self.flags, help=self.help, show_default=self.show_default, **extra)
        return Annotated[base, info]


def typer_command(run: Callable[..., Any], params: Sequence[Param]) -> Callable[..., Any]:
    """``run`` (which takes every param by keyword) with the signature Typer makes a command from:
    its name and help stay ``run``'s."""
    import inspect  # 15 ms: only where Typer builds the command

    def command(**values: Any) -> Any:
        return run(**values)

    command.__name__, command.__qualname__, command.__doc__ = run.__name__, run.__qualname__, run.__doc__
    command.__module__ = run.__module__
    command.__signature__ = inspect.Signature([  # type: ignore[attr-defined]
        inspect.Parameter(p.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=p.annotation(),
                          default=inspect.Parameter.empty if p.is_argument else p.default)
        for p in params])
    return command


def _value(param: Param, text: str) -> Any:
    """``text`` as the param's kind, or None where Click's conversion (or its range check) has to speak."""
    if param.kind is int:
        if not (text.isascii() and text.isdigit()):
            return None
        number = int(text)
        if (param.min is not None and number < param.min) or (param.max is not None and number > param.max):
            return None
        return number
    if param.kind is Path:
        return Path(text) if text else None
    return text if param.kind is str else None


def parse_plain(params: Sequence[Param], args: Sequence[str],
                environ: Mapping[str, str]) -> dict[str, Any] | None:
    """The values of a plain command line, as Click would give them to the command: words and
    ``--option value``/``--option=value``/``--flag`` in any order, ``--`` before words that start
    with ``-``. None when Click has more to do or to say (see the module's docstring)."""
    # a switch (``--index/--no-index``): each of its two flags, the second setting it off
    by_flag = {f: p for p in params for flag in p.flags for f in flag.split("/")}
    off_flags = {flag.split("/")[1] for p in params for flag in p.flags if "/" in flag}
    argument = next((p for p in params if p.is_argument), None)  # none: a command of options only
    words: list[str] = []
    given: dict[str, Any] = {}
    i, only_words = 0, False
    while i < len(args):
        token = args[i]
        i += 1
        if only_words or token == "-" or not token.startswith("-"):
            words.append(token)
            continue
        if token == "--":
            only_words = True
            continue
        flag, eq, text = token.partition("=")
        param = by_flag.get(flag)
        if param is None or (param.name in given and not param.multiple):
            return None  # --help, an unknown option, a short one, one given twice
        if param.kind is bool:
            if eq:
                return None
            given[param.name] = flag not in off_flags
            continue
        if not eq:
            if i >= len(args) or args[i].startswith("-"):
                return None
            text = args[i]
            i += 1
        value = _value(param, text)
        if value is None:
            return None
        given[param.name] = [*given.get(param.name, []), value] if param.multiple else value
    if argument is None:
        if words:
            return None  # a word where none is taken: Click says so
        values: dict[str, Any] = {}
    elif not words:
        return None  # the argument is required: Click says so
    elif argument.multiple:
        converted = [_value(argument, w) for w in words]
        if any(v is None for v in converted):
            return None  # a word Click has to convert or refuse
        values = {argument.name: converted}
    else:
        value = _value(argument, words[0]) if len(words) == 1 else None
        if value is None:
            return None  # more than one word, or one Click has to convert or refuse
        values = {argument.name: value}
    for p in params:
        if p.is_argument:
            continue
        if p.name in given:
            values[p.name] = given[p.name]
        elif p.envvar and environ.get(p.envvar):
            value = _value(p, environ[p.envvar])
            if value is None or p.multiple or p.kind is bool:
                return None
            values[p.name] = value
        else:
            values[p.name] = p.default
    return values

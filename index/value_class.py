"""``@value_class``: a dataclass without its start-up cost, for the classes a search's process makes.

``@dataclass`` writes each class's ``__init__``, ``__eq__``, ``__repr__`` (and more) as source text
and compiles it when the module is imported: ~1.5 ms a class, every process. A plain `xxgk search`
imports some twenty such classes, more than its own search costs. ``value_class`` gives the same
behaviour from shared functions, with nothing compiled:

* ``__init__`` takes the annotated fields in order, by position or keyword, with the class's
  defaults (``Factory(list)`` for a fresh mutable default, as ``field(default_factory=list)``),
  then calls ``__post_init__`` if the class has one;
* ``__eq__`` compares two instances of the same class field by field, ``__repr__`` is the
  dataclass's (``Name(field=value, ...)``);
* ``frozen=True``: fields cannot be set after ``__init__`` (``AttributeError``) and instances hash
  by their fields; otherwise instances are unhashable, as an ``eq`` dataclass's.

``dataclasses.fields``, ``asdict``, ``replace`` and ``is_dataclass`` work too, as on the dataclass:
the class's ``__dataclass_fields__`` is made when first asked for (importing ``dataclasses``, ~8 ms,
only in a process that uses them), as the fields of a dataclass with the same annotations and
defaults.
"""
from __future__ import annotations

from typing import Any, Callable, TypeVar, dataclass_transform

__all__ = ["value_class", "Factory"]

_T = TypeVar("_T")
_MISSING = object()


class Factory:
    """A default made afresh for each instance (``Factory(list)``)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]):
        self.make = make


def _init(self, *args: Any, **kwargs: Any) -> None:
    cls = type(self)
    names, defaults = cls.__value_fields__, cls.__value_defaults__
    if len(args) > len(names):
        raise TypeError(f"{cls.__qualname__}() takes {len(names)} arguments but {len(args)} were given")
    values = dict(zip(names, args))
    for key, value in kwargs.items():
        if key not in names:
            raise TypeError(f"{cls.__qualname__}() got an unexpected keyword argument {key!r}")
        if key in values:
            raise TypeError(f"{cls.__qualname__}() got multiple values for argument {key!r}")
        values[key] = value
    set_ = object.__setattr__
    for name in names:
        value = values.get(name, _MISSING)
        if value is _MISSING:
            value = defaults.get(name, _MISSING)
            if value is _MISSING:
                raise TypeError(f"{cls.__qualname__}() missing required argument: {name!r}")
            if type(value) is Factory:
                value = value.make()
        set_(self, name, value)
    post = getattr(self, "__post_init__", None)
    if post is not None:
        post()


def _fields_of(self) -> tuple:
    return tuple(getattr(self, name) for name in self.__value_fields__)


def _eq(self, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _fields_of(self) == _fields_of(other)


def _repr(self) -> str:
    return f"{type(self).__qualname__}(" + ", ".join(
        f"{name}={getattr(self, name)!r}" for name in self.__value_fields__) + ")"


def _hash(self) -> int:
    return hash(_fields_of(self))


class _DataclassFields:
    """``__dataclass_fields__`` of a value class, made on first use from a dataclass of the same
    fields (what ``dataclasses.fields``, ``asdict`` and ``replace`` read) and kept on the class."""

    def __get__(self, instance: Any, owner: type) -> dict:
        made = owner.__dict__.get("__value_dataclass_fields__")
        if made is None:
            import dataclasses

            annotations: dict[str, Any] = {}
            for klass in reversed(owner.__mro__):
                annotations.update(klass.__dict__.get("__annotations__", {}))
            namespace: dict[str, Any] = {"__annotations__": {n: annotations[n] for n in owner.__value_fields__}}
            for name, default in owner.__value_defaults__.items():
                namespace[name] = (dataclasses.field(default_factory=default.make) if type(default) is Factory
                                   else default)
            made = dataclasses.dataclass(type(owner.__name__, (), namespace)).__dataclass_fields__
            type.__setattr__(owner, "__value_dataclass_fields__", made)
        return made


_DATACLASS_FIELDS = _DataclassFields()


def _frozen_setattr(self, name: str, value: Any) -> None:
    raise AttributeError(f"cannot assign to field {name!r}: {type(self).__qualname__} is frozen")


def _frozen_delattr(self, name: str) -> None:
    raise AttributeError(f"cannot delete field {name!r}: {type(self).__qualname__} is frozen")


@dataclass_transform(frozen_default=False, field_specifiers=())
def value_class(cls: type[_T] | None = None, /, *, frozen: bool = False) -> Any:
    """The class with ``__init__``, ``__eq__``, ``__repr__`` (and, frozen, ``__hash__``) over its
    annotated fields; see the module's docstring."""

    def make(cls: type[_T]) -> type[_T]:
        names: list[str] = []
        for klass in reversed(cls.__mro__):  # a base's fields first, as a dataclass orders them
            for name in klass.__dict__.get("__annotations__", {}):
                if name not in names and not name.startswith("__"):
                    names.append(name)
        defaults = {}
        for name in names:
            for klass in cls.__mro__:
                if name in klass.__dict__:
                    defaults[name] = klass.__dict__[name]
                    break
        seen_default = False
        for name in names:  # as a dataclass: no field without a default after one with a default
            if name in defaults:
                seen_default = True
            elif seen_default:
                raise TypeError(f"{cls.__qualname__}: non-default field {name!r} follows a default one")
        cls.__value_fields__ = tuple(names)
        cls.__value_defaults__ = defaults
        cls.__match_args__ = tuple(names)
        cls.__init__ = _init
        cls.__eq__ = _eq
        cls.__repr__ = _repr
        cls.__dataclass_fields__ = _DATACLASS_FIELDS  # type: ignore[attr-defined]
        if frozen:
            cls.__hash__ = _hash
            cls.__setattr__ = _frozen_setattr
            cls.__delattr__ = _frozen_delattr
        else:
            cls.__hash__ = None  # type: ignore[assignment]
        return cls

    return make if cls is None else make(cls)

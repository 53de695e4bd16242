"""Packages whose ``__init__`` only re-exports its submodules' names, made to load each on use.

Powertools' ``aws_lambda_powertools.event_handler`` imports every resolver it has when the
package is first imported: AppSync's (and with it ``asyncio``), Bedrock's, VPC Lattice's,
the function URL's. Its ``utilities.data_classes``, from which the API Gateway resolver
takes seven event classes, imports all of its 45. The api uses one resolver and one event
class; the rest cost each of its cold starts about 60 ms (docs/performance.md).

``defer(name)`` puts the package's module object in ``sys.modules`` without running its
``__init__``: a name it would have bound is imported from its submodule when first asked
for (a module ``__getattr__``, PEP 562), then kept on the package as the ``__init__`` would
have left it. Submodules import as always (the package's ``__path__`` is set from its
spec). A name that is also a submodule's is bound at once, as importing that submodule
later would bind the module in its place. Only a package whose ``__init__`` is nothing but
``from ... import ...`` statements, a docstring and ``__all__`` is deferred: running it
does nothing but bind those names, so binding each on first use binds the same objects.
Anything else in it (a call, an assignment, a conditional import), a package already
imported, or a source that cannot be read leaves the package to import as usual: slower,
never different. The installed ``__init__`` is read and parsed at each start (about half
a millisecond a package), so an upgraded library is judged as it is then.
"""

from __future__ import annotations

import ast
import importlib
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import NamedTuple


class Reexports(NamedTuple):
    """What a package's ``__init__`` binds: each name's (module, attribute), and ``__all__``."""

    names: dict[str, tuple[str, str]]
    all: list[str] | None


def reexports(source: str, package: str) -> Reexports | None:
    """What the ``__init__`` source of ``package`` binds; None when it does anything else."""
    names: dict[str, tuple[str, str]] = {}
    declared: list[str] | None = None
    for statement in ast.parse(source).body:
        if isinstance(statement, ast.ImportFrom) and statement.module and statement.level <= 1:
            module = f"{package}.{statement.module}" if statement.level else statement.module
            for alias in statement.names:
                if alias.name == "*":
                    return None
                names[alias.asname or alias.name] = (module, alias.name)
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # the docstring
        elif (listed := _listed_names(statement)) is not None:
            declared = listed
        else:
            return None
    return Reexports(names, declared)


def _listed_names(statement: ast.stmt) -> list[str] | None:
    """The names of ``__all__ = [...]`` (a list or tuple of strings); else None."""
    if not (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and statement.targets[0].id == "__all__"
        and isinstance(statement.value, ast.List | ast.Tuple)
    ):
        return None
    items = [item.value for item in statement.value.elts if isinstance(item, ast.Constant)]
    if len(items) != len(statement.value.elts) or not all(isinstance(i, str) for i in items):
        return None
    return [str(item) for item in items]


def defer(package: str) -> bool:
    """Make ``package`` load its re-exported names on first use; whether it now does."""
    if package in sys.modules:
        return False
    try:
        spec = importlib.util.find_spec(package)  # imports the parent package, if any
    except ModuleNotFoundError:
        return False
    if (
        package in sys.modules
        or spec is None
        or spec.origin is None
        or spec.submodule_search_locations is None
    ):
        return False
    try:
        with open(spec.origin, encoding="utf-8") as file:
            found = reexports(file.read(), package)
    except (OSError, SyntaxError, UnicodeDecodeError):
        return False
    if found is None:
        return False
    module = importlib.util.module_from_spec(spec)
    resolve = _resolver(module, found.names)
    module.__dict__["__getattr__"] = resolve
    if found.all is not None:
        module.__dict__["__all__"] = found.all
    sys.modules[package] = module
    try:
        # A name that is also a submodule's (``from .event_source import event_source``)
        # is bound now: importing that submodule later would bind the module instead.
        for name in _submodule_names(spec.submodule_search_locations) & found.names.keys():
            resolve(name)
    except BaseException:
        del sys.modules[package]  # as a failed import leaves it
        raise
    parent, _, child = package.rpartition(".")
    if parent:  # as the import system leaves it: ``a.b`` is an attribute of ``a``
        setattr(sys.modules[parent], child, module)
    return True


def _submodule_names(locations: Iterable[str]) -> set[str]:
    """The names of the modules and packages in a package's folders."""
    suffixes = tuple(importlib.machinery.all_suffixes())
    names = set()
    for location in locations:
        with os.scandir(location) as entries:
            for entry in entries:
                if entry.is_dir():
                    names.add(entry.name)
                elif entry.name.endswith(suffixes):
                    names.add(entry.name.partition(".")[0])
    return names


def _resolver(module: ModuleType, names: dict[str, tuple[str, str]]) -> Callable[[str], object]:
    def __getattr__(name: str) -> object:  # the name PEP 562 looks for
        found = names.get(name)
        if found is None:
            raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")
        source_module, attribute = found
        value = getattr(importlib.import_module(source_module), attribute)
        setattr(module, name, value)
        return value

    return __getattr__

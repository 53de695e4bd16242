"""Re-export packages loaded name by name (registrar.lazy_packages): the same objects, later."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from registrar import lazy_packages
from registrar.lazy_packages import Reexports, reexports
from tests.support.fresh_process import output_lines

POWERTOOLS_PACKAGES = (
    "aws_lambda_powertools.event_handler",
    "aws_lambda_powertools.utilities.data_classes",
)
LAYER = Path(lazy_packages.__file__).resolve().parents[1]


def test_a_package_that_only_reexports_is_read_as_its_names() -> None:
    source = textwrap.dedent(
        '''
        """A docstring."""
        from shop.basket import Basket
        from .tills import Till as Register, Receipt
        __all__ = ["Basket", "Register"]
        '''
    )
    assert reexports(source, "shop") == Reexports(
        {
            "Basket": ("shop.basket", "Basket"),
            "Register": ("shop.tills", "Till"),
            "Receipt": ("shop.tills", "Receipt"),
        },
        ["Basket", "Register"],
    )


@pytest.mark.parametrize(
    "statement",
    [
        "set_up_logging()",  # a call: running the __init__ does something
        "VERSION = '1.0'",
        "import json",
        "from .tills import *",
        "from . import tills",  # binds a submodule, not a name from one
        "from ..elsewhere import Thing",
        "try:\n    from .fast import Till\nexcept ImportError:\n    from .slow import Till",
        "if True:\n    from .tills import Till",
        "__all__ = ['Till'] + EXTRA",
        "__all__ = [1]",
    ],
)
def test_anything_but_reexports_leaves_the_package_to_import_as_usual(statement: str) -> None:
    source = f"from .tills import Till\n{statement}\n"
    assert reexports(source, "shop") is None


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A package ``lazyshop`` on the path, forgotten again after the test."""
    package = tmp_path / "lazyshop"
    package.mkdir()
    (package / "basket.py").write_text("class Basket:\n    pass\n")
    (package / "tills.py").write_text("raise RuntimeError('the tills were imported')\n")
    (package / "scale.py").write_text("def scale():\n    return 'weighed'\n")
    (package / "__init__.py").write_text(
        "from lazyshop.basket import Basket as Cart\n"
        "from .tills import Till\n"
        "from .scale import scale\n"
        "__all__ = ['Cart']\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield package
    for name in [m for m in sys.modules if m.partition(".")[0] == "lazyshop"]:
        del sys.modules[name]


def test_a_deferred_package_imports_a_submodule_only_for_a_name_asked_for(shop: Path) -> None:
    assert lazy_packages.defer("lazyshop")
    import lazyshop

    assert "lazyshop.basket" not in sys.modules
    assert "lazyshop.tills" not in sys.modules  # would have raised in an eager import
    from lazyshop import Cart

    assert Cart is sys.modules["lazyshop.basket"].Basket
    assert lazyshop.Cart is Cart  # kept, as the __init__ would have left it
    assert "lazyshop.tills" not in sys.modules
    with pytest.raises(RuntimeError, match="tills were imported"):
        lazyshop.Till  # noqa: B018 - asking for the name is the test
    with pytest.raises(AttributeError, match="no attribute 'Weight'"):
        lazyshop.Weight  # type: ignore[attr-defined] # noqa: B018
    assert lazyshop.__all__ == ["Cart"]
    # A name that is also a submodule's is the name's object, as after an eager import,
    # even once the submodule is imported by its own name.
    import lazyshop.scale
    from lazyshop import scale

    assert scale() == "weighed"
    assert Path(lazyshop.__file__ or "").parent == shop


def test_a_package_already_imported_or_doing_more_is_not_deferred(shop: Path) -> None:
    (shop / "__init__.py").write_text("from lazyshop.basket import Basket\nOPEN = True\n")
    assert not lazy_packages.defer("lazyshop")
    assert "lazyshop" not in sys.modules  # left for the usual import, which runs it
    import lazyshop

    assert lazyshop.OPEN
    assert not lazy_packages.defer("lazyshop")
    assert not lazy_packages.defer("no_such_package_here")
    assert not lazy_packages.defer("no_such_package_here.sub")
    assert not lazy_packages.defer("lazyshop.basket")  # a module, not a package


@pytest.mark.parametrize("package", POWERTOOLS_PACKAGES)
def test_the_installed_powertools_packages_are_deferrable(package: str) -> None:
    # Written for the installed Powertools: an upgrade whose __init__ does more than
    # re-export fails here (the api would still start, only slower).
    origin = _origin(package)
    found = reexports(origin.read_text(encoding="utf-8"), package)
    assert found is not None
    assert found.all is not None and set(found.all) <= set(found.names)


def _origin(package: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin is not None
    return Path(spec.origin)


_WHAT_EACH_NAME_IS = """
import importlib, json, sys
sys.path.insert(0, {layer!r})
from registrar import lazy_packages
deferred = [lazy_packages.defer(p) for p in {packages!r}] if {defer!r} else []
out = {{"deferred": deferred}}
for package in {packages!r}:
    module = importlib.import_module(package)
    names = sorted(module.__all__)
    out[package] = {{n: f"{{getattr(module, n).__module__}}.{{getattr(module, n).__qualname__}}"
                    for n in names}}
print(json.dumps(out))
"""


def test_each_powertools_name_is_the_same_object_deferred_or_not() -> None:
    def names(defer: bool) -> dict[str, object]:
        script = _WHAT_EACH_NAME_IS.format(
            layer=str(LAYER), packages=POWERTOOLS_PACKAGES, defer=defer
        )
        return json.loads(_run(script))

    deferred, eager = names(True), names(False)
    assert deferred.pop("deferred") == [True, True]
    assert eager.pop("deferred") == []
    assert deferred == eager
    assert len(eager["aws_lambda_powertools.event_handler"]) >= 15  # type: ignore[arg-type]


_RESOLVER = """
import json, sys
sys.path.insert(0, {layer!r})
from registrar import lazy_packages
for package in {packages!r}:
    assert lazy_packages.defer(package), package
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

app = APIGatewayHttpResolver()
seen = []

def note(app, next_middleware: NextMiddleware):
    seen.append(app.current_event.http_method)
    return next_middleware(app)

app.use(middlewares=[note])

@app.post("/applications")
def submit():
    return Response(202, "application/json", json.dumps(app.current_event.json_body))

event = {{
    "version": "2.0", "routeKey": "POST /applications", "rawPath": "/applications",
    "rawQueryString": "", "headers": {{"content-type": "application/json"}},
    "requestContext": {{"http": {{"method": "POST", "path": "/applications",
                                  "sourceIp": "192.0.2.1"}}, "stage": "$default"}},
    "body": '{{"given_name": "Erika"}}', "isBase64Encoded": False,
}}
answer = app.resolve(event, None)
print(json.dumps({{"status": answer["statusCode"], "body": answer["body"], "seen": seen,
                   "asyncio": "asyncio" in sys.modules,
                   "appsync": "aws_lambda_powertools.event_handler.appsync" in sys.modules}}))
"""


def test_the_http_api_resolver_serves_a_request_with_both_packages_deferred() -> None:
    script = _RESOLVER.format(layer=str(LAYER), packages=POWERTOOLS_PACKAGES)
    assert json.loads(_run(script)) == {
        "status": 202,
        "body": '{"given_name": "Erika"}',
        "seen": ["POST"],
        "asyncio": False,  # AppSync's resolver, never used, is never loaded
        "appsync": False,
    }


def _run(script: str) -> str:
    return output_lines(script, env={**os.environ, "POWERTOOLS_DEV": "false"})[-1]

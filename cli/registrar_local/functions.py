"""Loading the template's Lambda handlers in-process, as the Lambda runtime would."""

from __future__ import annotations

import gc
import importlib.util
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from registrar_local.infra.template import FunctionSpec

Handler = Callable[[dict[str, Any], Any], Any]


@dataclass
class LambdaContext:
    """The attributes of Lambda's context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = ""
    aws_request_id: str = ""
    remaining_ms: int = 900_000

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def load_handler(spec: FunctionSpec, template_file: Path) -> Handler:
    """Import ``CodeUri/<module>.py`` under a unique name and return its handler function."""
    module_name, _, function_name = spec.handler.rpartition(".")
    source = spec.code_dir(template_file) / f"{module_name.replace('.', '/')}.py"
    unique = f"registrar_function_{spec.logical_id}"
    module_spec = importlib.util.spec_from_file_location(unique, source)
    if module_spec is None or module_spec.loader is None:
        raise ImportError(f"cannot load {source}")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[unique] = module
    module_spec.loader.exec_module(module)
    # A handler may freeze what its start-up built (gc.freeze: right for a Lambda instance,
    # which holds one function for life). This process holds many: collect it all as usual.
    gc.unfreeze()
    handler: Handler = getattr(module, function_name)
    return handler


def invoke(handler: Handler, logical_id: str, event: dict[str, Any]) -> Any:
    context = LambdaContext(
        function_name=logical_id,
        invoked_function_arn=f"arn:aws:lambda:local:000000000000:function:{logical_id}",
        aws_request_id=str(uuid.uuid4()),
    )
    return handler(event, context)

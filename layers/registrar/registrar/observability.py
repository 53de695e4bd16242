"""Powertools metrics for the handlers: EMF in Lambda, nothing at all when disabled.

Powertools 3.37 keeps collecting metrics while ``POWERTOOLS_METRICS_DISABLED`` is set and
prints the set anyway once a metric holds 100 values. The local stack and the tests run
with metrics off, and a long local run would then write EMF lines into the CLI's JSON
output. Here a disabled metric is dropped when it is added, and flushing says nothing.

The subclass overrides two methods of Powertools' EMF provider and relies on how they work
inside: written for the version below; a unit test fails when another one is installed.
"""

from __future__ import annotations

from typing import Final

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricResolution, MetricUnit
from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import (
    AmazonCloudWatchEMFProvider,
)

WRITTEN_FOR: Final = {"aws-lambda-powertools": "3.37.0"}


class _DroppedWhenDisabled(AmazonCloudWatchEMFProvider):
    def add_metric(
        self,
        name: str,
        unit: MetricUnit | str,
        value: float,
        resolution: MetricResolution | int = 60,
    ) -> None:
        if is_metrics_disabled():
            return
        super().add_metric(name=name, unit=unit, value=value, resolution=resolution)

    def flush_metrics(self, raise_on_empty_metrics: bool = False) -> None:
        if is_metrics_disabled():  # nothing was collected: no "no metrics" warning either
            self.clear_metrics()
            return
        super().flush_metrics(raise_on_empty_metrics=raise_on_empty_metrics)


def handler_metrics() -> Metrics:
    """One function's metrics (namespace and service from the POWERTOOLS_* variables)."""
    return Metrics(provider=_DroppedWhenDisabled())

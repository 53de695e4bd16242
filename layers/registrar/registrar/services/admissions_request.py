"""The admissions function's input and output: what schedulers and the CLI send and get."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from registrar.runs import AdmissionRun, Trigger


class AdmissionsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    trigger: Trigger
    scheduled_time: str = ""  # set by EventBridge Scheduler; keys the idempotency record
    dry_run: bool = False
    seed: str | None = Field(default=None, max_length=128)
    reason: str = Field(default="", max_length=500)


def run_summary(run: AdmissionRun) -> dict[str, Any]:
    return {"ok": True, "run": run.model_dump(mode="json")}

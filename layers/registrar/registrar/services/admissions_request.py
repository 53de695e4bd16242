"""The admissions function's input and output: what schedulers and the CLI send and get."""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from registrar.runs import AdmissionRun, Trigger


class AdmissionsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    trigger: Trigger
    scheduled_time: str = ""  # set by EventBridge Scheduler; keys the idempotency record
    dry_run: bool = False
    reason: str = Field(default="", max_length=500)
    # Before the deadline: a dry run as if registration had closed now (never applied).
    as_if_closed: bool = False
    # Set by the function itself when a run stopped at a checkpoint: the run to go on with,
    # and which invocation of it this is (the first is 1).
    continues: str | None = Field(default=None, pattern=r"^[0-9A-Za-z-]{1,64}$")
    part: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _previews_are_dry(self) -> Self:
        if self.as_if_closed and not self.dry_run:
            raise ValueError("as_if_closed is for dry runs only")
        if self.continues and (self.dry_run or self.part < 2):
            raise ValueError("a continuation is an applied run's second part or later")
        return self

    def continuation(self, run: AdmissionRun) -> AdmissionsRequest:
        """The request that goes on with ``run``, which stopped at a checkpoint."""
        return AdmissionsRequest(trigger=run.trigger, continues=run.run_id, part=self.part + 1)


def run_summary(run: AdmissionRun) -> dict[str, Any]:
    return {"ok": True, "run": run.model_dump(mode="json")}

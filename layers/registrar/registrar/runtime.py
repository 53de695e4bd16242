"""Wiring: build the services once per process from Settings, with the real AWS clients.

The services come from ``registrar.services.factory``, which the organiser's CLI uses too;
the functions add the mailer (SES, the token secret) and the process's clock.

Handlers ask for ``current()``; the embedded local stack swaps the clock through
``use_clock`` and nothing else, so local runs exercise exactly the cloud wiring.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import secrets
from functools import cached_property
from typing import TYPE_CHECKING, Any

from registrar import botocore_data
from registrar.clock import Clock, SystemClock
from registrar.secret_values import SecretValues
from registrar.services.factory import Services, StackState
from registrar.settings import Settings
from registrar.store.models import MAX_POOL_CONNECTIONS
from registrar.tokens import LinkKeyring, LinkVerifier, TokenSigner

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client

    from registrar.services.mailing import MailerService

TOKEN_SECRET_MAX_AGE_SECONDS = 300
botocore_data.share()  # before any client: pynamodb's and the functions' share one session


class _ClockProxy:
    """The process's clock; replaceable so the local stack can move time."""

    def __init__(self) -> None:
        self.target: Clock = SystemClock()

    def now(self) -> dt.datetime:
        return self.target.now()


_clock = _ClockProxy()
_randomness: list[random.Random] = [secrets.SystemRandom()]


def use_clock(clock: Clock) -> None:
    _clock.target = clock


def use_randomness(rng: random.Random) -> None:
    """Seeded ids and lottery seeds: reproducible demos (never set in the cloud)."""
    _randomness[0] = rng


class Runtime(Services):
    """The function's services (the same factory the CLI uses), its settings and mailer."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            settings.conference_id,
            StackState(
                applications_table=settings.applications_table,
                runs_table=settings.runs_table,
                messages_table=settings.messages_table,
                mail_queue_url=settings.mail_queue_url,
            ),
            sqs=lambda: aws_client("sqs"),
            clock=_clock,
            randomness=_randomness[0],
            # ApplicantKeys reads it once, at the first key: once per process.
            applicant_key_secret=lambda: secret(settings.applicant_key_secret_arn),
        )
        self.settings = settings

    def signer(self) -> TokenSigner:
        # Kept for a few minutes, so a rotated keyring takes effect soon (a new key signs
        # only after every instance has read it: registrar.tokens).
        return TokenSigner(_keyring(secret(self.settings.token_secret_arn)))

    def origin_verify_value(self) -> str:
        """What the public entry sends in X-Origin-Verify (kept like the token secret)."""
        return secret(self.settings.origin_verify_secret_arn)

    def read_secrets_together(self) -> None:
        """The api's three secrets come in one request, at the first that is needed (its
        first request needs two: the public entry's value, the applicant-key secret)."""
        settings = self.settings
        _secrets.read_together(
            (
                settings.origin_verify_secret_arn,
                settings.applicant_key_secret_arn,
                settings.token_secret_arn,
            )
        )

    @cached_property
    def links(self) -> LinkVerifier:
        return LinkVerifier(self.signer, self.conference.id, self.clock)

    def mailer(self) -> MailerService:
        from registrar.services.mailing import MailerConfig, MailerService
        from registrar.ses import SesSender

        return MailerService(
            self.conference,
            self.applications,
            self.outbox,
            SesSender(
                self._sesv2,
                from_address=self.settings.sender_address,
                configuration_set=self.settings.ses_configuration_set,
            ),
            self.signer(),
            self.clock,
            MailerConfig(
                public_base_url=self.settings.public_base_url,
                sender_address=self.settings.sender_address,
            ),
            lottery=self.lottery,
        )

    @cached_property
    def _sesv2(self) -> SESV2Client:
        client: SESV2Client = aws_client("sesv2")
        return client


def _secret_values() -> SecretValues:
    return SecretValues(lambda: aws_client("secretsmanager"), TOKEN_SECRET_MAX_AGE_SECONDS)


_secrets = _secret_values()


def secret(arn: str) -> str:
    """A secret's value, kept for ``TOKEN_SECRET_MAX_AGE_SECONDS`` after it was fetched."""
    return _secrets.get(arn)


def cached_secrets() -> int:
    """How many secret values the process keeps now (SnapStart's test: none at a snapshot)."""
    return len(_secrets)


@functools.lru_cache(maxsize=2)
def _keyring(text: str) -> LinkKeyring:
    """The link keyring, parsed once per version of the secret."""
    return LinkKeyring.parse(text)


def forget_secrets() -> None:
    """Drop the kept secret values and the keyrings parsed from them: each is fetched again
    when next needed (SnapStart: none may be frozen into a snapshot; the local stack when
    its clock moves past their age)."""
    _secrets.forget()
    _keyring.cache_clear()


def aws_client(service: str) -> Any:
    """A botocore client, made on first use: only a first send (SQS, SES) pays for it.

    botocore alone, as pynamodb uses it: boto3 on top adds nothing a client needs and cost
    each first submission about 18 ms of import. The process's one session
    (``botocore_data``) finds region, credentials and endpoint as boto3 would (the
    environment, Lambda's role). Its connection pool holds the admissions run's requests
    in flight (it queues mail from several threads).
    """
    from botocore.config import Config

    config = Config(max_pool_connections=MAX_POOL_CONNECTIONS)
    return botocore_data.session().create_client(service, config=config)


_runtime: Runtime | None = None


def current() -> Runtime:
    """The process's runtime, built from the environment on first use (cold start)."""
    global _runtime  # noqa: PLW0603 - one runtime per process is the point
    if _runtime is None:
        _runtime = Runtime(Settings.from_environment())
    return _runtime


def reset() -> None:
    """Forget the runtime, its session and secrets (the local stack and tests rebuild it
    after changing settings: another endpoint, other secrets)."""
    global _runtime, _secrets  # noqa: PLW0603
    _runtime = None
    _secrets = _secret_values()
    _keyring.cache_clear()
    botocore_data.forget_session()

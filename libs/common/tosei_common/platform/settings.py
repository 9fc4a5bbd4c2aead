"""Settings read from the environment (prefix ``TOSEI_``), with defaults for a laptop."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The secret used when TOSEI_AUTH_SECRET is not set. Good for a laptop, never for production:
#: the services log a warning when they run with it.
DEVELOPMENT_AUTH_SECRET = "tosei-local-development-secret-change-me"

#: Likewise for pseudonyms: with a known key, anyone could test names against a topic's
#: pseudonyms. Services warn when they run with it.
DEVELOPMENT_PSEUDONYM_SECRET = "tosei-local-pseudonym-key"

SERVICE_PORTS: dict[str, int] = {
    "intake": 8101,
    "caseflow": 8102,
    "seminar": 8103,
    "resilience": 8104,
    "requests": 8105,
    "console": 8100,
}


class Settings(BaseSettings):
    """Everything a service or the ``tosei`` command reads from its environment."""

    # An empty variable is an unset one (compose's `${TOSEI_SMTP_PORT:-}` leaves the default).
    model_config = SettingsConfigDict(env_prefix="TOSEI_", extra="ignore", env_ignore_empty=True)

    database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL. Unset: PostgreSQL on 127.0.0.1:5432 when reachable, "
        "else an embedded server under data_dir.",
    )
    kafka_bootstrap: str | None = Field(
        default=None,
        description="Kafka bootstrap servers. Unset: `tosei up` starts the bundled Tansu broker.",
    )
    host: str = "127.0.0.1"
    intake_port: int = SERVICE_PORTS["intake"]
    caseflow_port: int = SERVICE_PORTS["caseflow"]
    seminar_port: int = SERVICE_PORTS["seminar"]
    resilience_port: int = SERVICE_PORTS["resilience"]
    requests_port: int = SERVICE_PORTS["requests"]
    console_port: int = SERVICE_PORTS["console"]
    # Where a service's HTTP API answers for another process (the console calls them with the
    # signed-in person's token). Unset: http://<host>:<port> of this machine.
    intake_url: str | None = None
    caseflow_url: str | None = None
    seminar_url: str | None = None
    resilience_url: str | None = None
    requests_url: str | None = None
    console_secure_cookies: bool = Field(
        default=False,
        description="Mark the console's cookies Secure (set behind TLS; https requests get it "
        "anyway).",
    )
    console_public_url: str | None = Field(
        default=None,
        description="The console's address as people's browsers reach it (e.g. "
        "https://console.tosei.example.jp); OpenID Connect returns there. Unset: the address "
        "of the request.",
    )
    console_oidc_issuer: str | None = Field(
        default=None,
        description="A municipality's OpenID Connect provider (its issuer URL). Set with the "
        "client id and secret to offer its sign-in beside the console's own accounts.",
    )
    console_oidc_client_id: str | None = None
    console_oidc_client_secret: str | None = None
    console_oidc_login_claim: str = Field(
        default="email",
        description="The ID token's claim matched against a console account's login (roles "
        "and towns always come from the console's account, never from the provider).",
    )
    console_oidc_label: str = Field(
        default="自治体のアカウント",
        description="How the sign-in button names the provider (「…でログイン」).",
    )
    console_client_address_header: str | None = Field(
        default=None,
        description="The header that carries the client's address when the console runs behind "
        "a proxy (e.g. X-Real-IP, or X-Forwarded-For whose last address is used). Unset: the "
        "connection's peer address; no header is ever believed unless named here. Only set it "
        "when every request reaches the console through that proxy.",
    )
    console_registration_limit: int = Field(
        default=5,
        ge=1,
        description="Seminar registrations (form posts) one client address may send per "
        "console_registration_window_s on the public pages. Small enough that one address "
        "cannot take a small viewing site's seats (10–20) before the organisers notice.",
    )
    console_registration_window_s: int = Field(default=3600, ge=1)
    console_lookup_limit: int = Field(
        default=60,
        ge=1,
        description="Reference lookups (my registration, cancel, feedback, certificate) one "
        "client address may make per console_lookup_window_s.",
    )
    console_lookup_window_s: int = Field(default=600, ge=1)
    broker_port: int = Field(default=19092, description="Port of the bundled Tansu broker.")
    auth_secret: str = DEVELOPMENT_AUTH_SECRET
    pseudonym_secret: str = Field(
        default=DEVELOPMENT_PSEUDONYM_SECRET,
        description="Shared by all services: keys the pseudonymous ids that stand for people "
        "on topics (text.pseudonym). Changing it breaks matching with earlier events.",
    )
    token_ttl_hours: int = Field(
        default=12, ge=1, description="Lifetime of the tokens `tosei token` mints."
    )
    token_max_ttl_hours: int = Field(
        default=24,
        ge=1,
        description="The longest lifetime a token may have (exp − iat); longer ones are refused.",
    )
    idempotency_retention_hours: int = Field(
        default=24,
        ge=1,
        description="How long a command's Idempotency-Key and its response are remembered.",
    )
    small_cell_threshold: int = Field(
        default=3,
        ge=1,
        description="Breakdowns shown to readers without access to the records (municipal "
        "officers, integrators' events) hide counts of fewer than this many people as 「―」 "
        "(tosei_common.region.small_cells); 1 hides nothing. The council's statistical rule.",
    )
    retention_desk_years: int | None = Field(
        default=None,
        ge=1,
        description="Years the desk's records (intake's clients and consultations, caseflow's "
        "notes) are kept after the client's last case closed. Unset: the declared period "
        "(5, 案件の終結から5年). The council's rule.",
    )
    retention_seminar_contact_years: int | None = Field(
        default=None,
        ge=1,
        description="Years a seminar registrant's e-mail and phone are kept after the seminar. "
        "Unset: the declared period (1, 研修会の開催から1年).",
    )
    retention_schedule: bool = Field(
        default=True,
        description="Run the retention job inside the services once a day (false: only "
        "`tosei retention` erases).",
    )
    retention_hour: int = Field(
        default=3,
        ge=0,
        le=23,
        description="The hour (Japan time) from which the daily retention run starts.",
    )
    retention_check_interval_s: float = Field(
        default=600.0,
        gt=0,
        description="How often a service looks whether today's retention run is due.",
    )
    disclose_confidential_notes: bool = Field(
        default=False,
        description="Whether a disclosure to the person (本人開示) includes the experts' "
        "confidential notes on their sessions. Off by default: the notes are the experts' own "
        "assessments, which the council treats as information whose disclosure would hinder "
        "its support work (個人情報保護法 第78条第1項第7号); the bundle then says how many notes "
        "exist and that they were withheld, and why. The council decides (docs/disclosure.md).",
    )
    # Mail to people (the seminar's registrants): tosei_common.platform.mail.
    smtp_host: str | None = Field(
        default=None,
        description="The SMTP server mail is sent through. Unset: `tosei up` starts the "
        "development mailbox (every message a .eml file under <data_dir>/mail/); a service "
        "run otherwise keeps its mails in its outbox, unsent, and says so at start.",
    )
    smtp_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Its port. Unset: 465 with smtp_tls, 587 with smtp_starttls, else 25.",
    )
    smtp_username: str | None = Field(
        default=None, description="Login at the SMTP server (unset: no login)."
    )
    smtp_password: str | None = Field(default=None, description="Its password (a secret).")
    smtp_starttls: bool = Field(
        default=False, description="Upgrade the connection with STARTTLS (submission, port 587)."
    )
    smtp_tls: bool = Field(
        default=False, description="Connect with TLS from the start (SMTPS, port 465)."
    )
    smtp_timeout_s: float = Field(
        default=30.0, gt=0, description="How long one SMTP exchange may wait for the server."
    )
    mail_from: str = Field(
        default="東青圏域 在宅医療合同研修会 <no-reply@tosei.example.jp>",
        description="The From of every mail (display name and address); its domain also names "
        "the Message-IDs.",
    )
    mail_max_attempts: int = Field(
        default=10,
        ge=1,
        description="Attempts before a mail is given up (kept, counted by "
        "tosei_mail_undeliverable); a mail the server refuses for good (5xx) is given up at once.",
    )
    mail_retry_backoff_s: float = Field(
        default=30.0,
        gt=0,
        description="Pause after a mail's first failed attempt; it doubles with each further one.",
    )
    mail_max_backoff_s: float = Field(
        default=3600.0, gt=0, description="The longest pause between a mail's attempts."
    )
    mail_poll_interval_s: float = Field(
        default=2.0, gt=0, description="How often the mail relay looks for mails to send."
    )
    mail_dev_port: int = Field(
        default=8025, description="Port of the development mailbox `tosei up` starts."
    )
    data_dir: Path = Path(".tosei")
    log_level: str = "INFO"

    # Pipeline tuning; the defaults follow what was measured on the development broker.
    kafka_request_timeout_ms: int = 10_000
    topic_replication_factor: int = Field(
        default=1, description="Replicas of each topic the services create (3 on a real cluster)."
    )
    relay_batch_size: int = 500
    relay_poll_interval_s: float = 1.0
    relay_max_backoff_s: float = Field(
        default=5.0,
        gt=0,
        description="Longest pause of the relay between attempts (broker or database away).",
    )
    outbox_retention_days: int = Field(
        default=7,
        ge=1,
        description="Days a published outbox row is kept before the relay drops it.",
    )
    consumer_max_records: int = 500
    consumer_fetch_max_wait_ms: int = 20
    consumer_session_timeout_ms: int = 6000
    consumer_lag_interval_s: float = Field(
        default=5.0, gt=0, description="How often consumer lag is read from the broker."
    )
    consumer_max_pause_s: float = Field(
        default=5.0,
        gt=0,
        description="Longest pause of a consumer waiting for its database to come back.",
    )
    consumer_max_attempts: int = 3
    consumer_retry_backoff_s: float = 0.05
    db_pool_min: int = 1
    db_pool_max: int = 10
    db_command_timeout_s: float = 10.0

    @field_validator("auth_secret")
    @classmethod
    def _long_enough(cls, secret: str) -> str:
        if len(secret.encode()) < 32:
            raise ValueError("TOSEI_AUTH_SECRET must be at least 32 bytes (HS256 key length)")
        return secret

    @model_validator(mode="after")
    def _one_kind_of_tls(self) -> Settings:
        if self.smtp_tls and self.smtp_starttls:
            raise ValueError(
                "TOSEI_SMTP_TLS (TLS from the start) and TOSEI_SMTP_STARTTLS (an upgrade) "
                "exclude each other: set one"
            )
        return self

    @property
    def smtp_port_in_use(self) -> int:
        """The SMTP port: as set, else the usual one for the chosen kind of TLS."""
        if self.smtp_port is not None:
            return self.smtp_port
        return 465 if self.smtp_tls else 587 if self.smtp_starttls else 25

    def port_of(self, service: str) -> int:
        """The HTTP port a service answers on."""
        port: int = getattr(self, f"{service}_port")
        return port

    def url_of(self, service: str) -> str:
        """The base URL of a service's HTTP API, as another process reaches it."""
        configured: str | None = getattr(self, f"{service}_url", None)
        return (configured or f"http://{self.host}:{self.port_of(service)}").rstrip("/")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()

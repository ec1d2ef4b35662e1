"""Settings for the Discord layer, read from the environment (and `.env`, see .env.example).

Every bad value stops the bot with one line saying which variable and what
is expected. The token is kept out of every repr, log and message.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..moderation.question_log import DEFAULT_RETENTION_DAYS


class ConfigError(Exception):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class CogConfig:
    """What the extension needs, whether the standalone runner or another bot loads it."""

    kb_dir: Path = Path("knowledge")
    seeds_dir: Path | None = None
    data_dir: Path = Path("data")
    moderator_role_id: int | None = None
    answer_channel_ids: frozenset[int] = frozenset()
    watch: bool = True
    retention_days: int = DEFAULT_RETENTION_DAYS

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> CogConfig:
        env = os.environ if env is None else env
        seeds = env.get("SEEDS_DIR", "").strip()
        return cls(
            kb_dir=Path(env.get("KB_DIR", "").strip() or "knowledge"),
            seeds_dir=Path(seeds) if seeds else None,
            data_dir=Path(env.get("DATA_DIR", "").strip() or "data"),
            moderator_role_id=_optional_id(env, "MODERATOR_ROLE_ID"),
            answer_channel_ids=frozenset(_id_list(env, "ANSWER_CHANNEL_IDS")),
            watch=env.get("KB_WATCH", "1").strip().lower() not in {"0", "false", "no", "off"},
            retention_days=_optional_int(env, "LOG_RETENTION_DAYS") or DEFAULT_RETENTION_DAYS,
        )


@dataclass(frozen=True)
class RunnerConfig:
    """What only the standalone runner needs."""

    token: str = field(repr=False)
    guild_id: int | None = None
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RunnerConfig:
        env = os.environ if env is None else env
        token = env.get("DISCORD_TOKEN", "").strip()
        if not token:
            raise ConfigError(
                "DISCORD_TOKEN is not set: put the bot token from the Discord Developer Portal "
                "(Application > Bot > Reset Token) in the environment or in .env"
            )
        shard_count = _optional_int(env, "SHARD_COUNT")
        shard_ids = tuple(_id_list(env, "SHARD_IDS")) or None
        if shard_ids and shard_count is None:
            raise ConfigError("SHARD_IDS needs SHARD_COUNT (the total number of shards) as well")
        if shard_ids and shard_count is not None and max(shard_ids) >= shard_count:
            raise ConfigError(f"SHARD_IDS must be below SHARD_COUNT ({shard_count})")
        return cls(token, _optional_id(env, "DISCORD_GUILD_ID"), shard_count, shard_ids)

    @property
    def sharded(self) -> bool:
        return self.shard_count is not None


def _optional_int(env: Mapping[str, str], name: str) -> int | None:
    value = env.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"{name} must be a positive whole number, not {value!r}")
    return int(value)


def _optional_id(env: Mapping[str, str], name: str) -> int | None:
    value = env.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ConfigError(f"{name} must be a Discord id (digits only; enable Developer Mode to copy ids)")
    return int(value)


def _id_list(env: Mapping[str, str], name: str) -> list[int]:
    parts = [part.strip() for part in env.get(name, "").replace(";", ",").split(",") if part.strip()]
    if not all(part.isdigit() for part in parts):
        raise ConfigError(f"{name} must be a comma-separated list of numbers, not {env.get(name)!r}")
    return [int(part) for part in parts]

"""Runs `python -m bot run`, unmodified, against the fake Discord whose base URL is argv[1].

Only discord.py's two endpoints are pointed elsewhere (REST base and gateway);
the bot, its runner and its extension are the ones users run.
"""

import sys

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

base = sys.argv[1]
Route.BASE = f"{base}/api/v10"
DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(base.replace("http://", "ws://") + "/gateway")

from bot.console.cli import main  # noqa: E402 - after pointing discord.py at the fake server

sys.exit(main(["run"]))

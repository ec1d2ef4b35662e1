"""A small fake Discord (REST + gateway) on 127.0.0.1, for end-to-end tests of the real client.

It implements just what the bot uses: login, application info, the gateway
handshake (HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats), command sync,
interaction callbacks and webhooks, and channel messages. Everything the bot
sends is recorded so tests can read it. It runs in its own thread and loop so
tests can drive it synchronously while the bot runs in a separate process.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

GOOD_TOKEN = "fake-token-for-tests.abc.def"
MANAGE_GUILD = 1 << 5
MESSAGE_CONTENT_INTENT = 1 << 15
DISCORD_EPOCH_MS = 1420070400000


@dataclass
class Recorded:
    method: str
    path: str
    body: Any
    response: Any = None  # what the fake answered (e.g. the message a follow-up created)
    at: float = field(default_factory=time.time)


def _json(data: Any, status: int = 200) -> web.Response:
    """discord.py only parses bodies whose content type is exactly application/json."""
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})


def _user(user_id: int, name: str, bot: bool = False) -> dict:
    return {"id": str(user_id), "username": name, "discriminator": "0", "global_name": name, "avatar": None, "bot": bot}


class FakeDiscord:
    application_id = 900000000000000001
    bot_id = 900000000000000001
    guild_id = 910000000000000001
    channel_id = 920000000000000001
    answer_channel_id = 920000000000000002
    dm_channel_id = 920000000000000099
    owner_id = 930000000000000009
    moderator_role_id = 940000000000000001
    admin_role_id = 940000000000000002
    moderator_id = 930000000000000001
    admin_id = 930000000000000002
    member_id = 930000000000000003

    def __init__(self, refuse_intents: int = 0) -> None:
        self.refuse_intents = refuse_intents
        self.requests: list[Recorded] = []
        self.identified = threading.Event()
        self._ids = itertools.count(1)
        self._sequence = itertools.count(1)
        self._socket: web.WebSocketResponse | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ------------------------------------------------------------ lifecycle
    def start(self) -> str:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    # ------------------------------------------------------------ test API
    def wait_for(self, predicate: Callable[[Recorded], bool], timeout: float = 15.0, after: int = 0) -> Recorded:
        """The first recorded request (from index `after`) matching `predicate`."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for request in self.requests[after:]:
                if predicate(request):
                    return request
            time.sleep(0.02)
        seen = "\n".join(f"{r.method} {r.path}" for r in self.requests[after:])
        raise AssertionError(f"no matching request within {timeout}s; seen:\n{seen}")

    def dispatch(self, event: str, data: dict) -> None:
        asyncio.run_coroutine_threadsafe(self._send({"op": 0, "t": event, "s": next(self._sequence), "d": data}), self._loop).result(5)

    def new_id(self) -> str:
        """A snowflake for now (discord.py reads creation times from ids, e.g. for deadlines)."""
        milliseconds = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return str((milliseconds << 22) | (next(self._ids) % 4096))

    def member(self, user_id: int) -> dict:
        roles = {self.moderator_id: [str(self.moderator_role_id)], self.admin_id: [str(self.admin_role_id)]}.get(user_id, [])
        return {"user": _user(user_id, f"user{user_id % 100}"), "roles": roles, "joined_at": "2025-01-01T00:00:00+00:00",
                "deaf": False, "mute": False, "flags": 0, "permissions": "0"}

    def interaction(self, kind: int, data: dict, user_id: int, message: dict | None = None) -> tuple[str, str]:
        """Send an INTERACTION_CREATE; returns (interaction id, token) to find the reply."""
        interaction_id, token = self.new_id(), f"itoken-{self.new_id()}"
        payload = {
            "id": interaction_id, "application_id": str(self.application_id), "type": kind, "data": data,
            "guild_id": str(self.guild_id), "channel_id": str(self.channel_id),
            "channel": {"id": str(self.channel_id), "type": 0, "guild_id": str(self.guild_id), "name": "general"},
            "member": self.member(user_id), "token": token, "version": 1, "locale": "en-US", "guild_locale": "en-US",
            "app_permissions": "2248473465835073", "entitlements": [], "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0, "attachment_size_limit": 10485760,
        }
        if message is not None:
            payload["message"] = message
        self.dispatch("INTERACTION_CREATE", payload)
        return interaction_id, token

    def slash(self, name: str, options: list[dict], user_id: int) -> tuple[str, str]:
        return self.interaction(2, {"id": self.new_id(), "name": name, "type": 1, "options": options}, user_id)

    def message(self, content: str, user_id: int, mention_bot: bool, dm: bool = False, channel_id: int | None = None) -> str:
        message_id = self.new_id()
        channel = self.dm_channel_id if dm else channel_id or self.channel_id
        data = {
            "id": message_id, "channel_id": str(channel),
            "author": _user(user_id, f"user{user_id % 100}"), "content": content,
            "timestamp": "2026-02-05T10:00:00+00:00", "edited_timestamp": None, "tts": False,
            "mention_everyone": False, "mentions": [_user(self.bot_id, "LaosBot", bot=True)] if mention_bot else [],
            "mention_roles": [], "attachments": [], "embeds": [], "pinned": False, "type": 0,
        }
        if not dm:
            data["guild_id"] = str(self.guild_id)
            data["member"] = {k: v for k, v in self.member(user_id).items() if k != "user"}
        self.dispatch("MESSAGE_CREATE", data)
        return message_id

    # ------------------------------------------------------------ gateway
    async def _send(self, payload: dict) -> None:
        assert self._socket is not None, "the bot is not connected"
        await self._socket.send_str(json.dumps(payload))

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for frame in socket:
            if frame.type != WSMsgType.TEXT:
                continue
            payload = json.loads(frame.data)
            if payload["op"] == 1:
                await socket.send_str(json.dumps({"op": 11}))
            elif payload["op"] == 2:
                if payload["d"]["token"] != GOOD_TOKEN:
                    await socket.close(code=4004)
                elif payload["d"]["intents"] & self.refuse_intents:
                    await socket.close(code=4014)
                else:
                    await self._ready()
        return socket

    async def _ready(self) -> None:
        base = f"ws://127.0.0.1:{self.port}/gateway"
        await self._send({"op": 0, "t": "READY", "s": next(self._sequence), "d": {
            "v": 10, "user": _user(self.bot_id, "LaosBot", bot=True), "guilds": [{"id": str(self.guild_id), "unavailable": True}],
            "session_id": "fake-session", "resume_gateway_url": base, "shard": [0, 1],
            "application": {"id": str(self.application_id), "flags": 0},
        }})
        await self._send({"op": 0, "t": "GUILD_CREATE", "s": next(self._sequence), "d": self._guild()})
        self.identified.set()

    def _guild(self) -> dict:
        roles = [
            {"id": str(self.guild_id), "name": "@everyone", "permissions": "0", "position": 0, "color": 0, "hoist": False,
             "managed": False, "mentionable": False, "flags": 0},
            {"id": str(self.moderator_role_id), "name": "Moderators", "permissions": "0", "position": 1, "color": 0,
             "hoist": False, "managed": False, "mentionable": True, "flags": 0},
            {"id": str(self.admin_role_id), "name": "Admins", "permissions": str(MANAGE_GUILD), "position": 2, "color": 0,
             "hoist": False, "managed": False, "mentionable": True, "flags": 0},
        ]
        return {
            "id": str(self.guild_id), "name": "Test Guild", "icon": None, "owner_id": str(self.owner_id), "roles": roles,
            "emojis": [], "stickers": [], "features": [], "member_count": 4, "large": False, "unavailable": False,
            "channels": [{"id": str(channel_id), "type": 0, "name": name, "position": position,
                          "permission_overwrites": [], "guild_id": str(self.guild_id)}
                         for position, (channel_id, name) in enumerate(
                             [(self.channel_id, "general"), (self.answer_channel_id, "ask-laos")])],
            "members": [{**self.member(self.bot_id), "user": _user(self.bot_id, "LaosBot", bot=True)}],
            "threads": [], "voice_states": [], "presences": [], "stage_instances": [], "guild_scheduled_events": [],
            "joined_at": "2025-01-01T00:00:00+00:00", "preferred_locale": "en-US", "verification_level": 0,
            "default_message_notifications": 0, "explicit_content_filter": 0, "mfa_level": 0, "premium_tier": 0,
            "system_channel_flags": 0, "nsfw_level": 0, "afk_timeout": 300,
        }

    # ------------------------------------------------------------ REST
    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body = await self._body(request)
        recorded = Recorded(request.method, path, body)
        if request.headers.get("Authorization") != f"Bot {GOOD_TOKEN}" and not path.startswith(("/interactions", "/webhooks")):
            response = _json({"message": "401: Unauthorized", "code": 0}, status=401)
        else:
            response = self._route(request.method, path, body)
        recorded.response = json.loads(response.body) if response.body else None
        self.requests.append(recorded)
        return response

    @staticmethod
    async def _body(request: web.Request) -> Any:
        if not request.can_read_body:
            return None
        if request.content_type == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:
                if part.name == "payload_json":
                    return json.loads(await part.text())
            return None
        return await request.json()

    def _route(self, method: str, path: str, body: Any) -> web.Response:
        app = str(self.application_id)
        if path == "/users/@me":
            return _json(_user(self.bot_id, "LaosBot", bot=True))
        if path == "/oauth2/applications/@me":
            return _json({
                "id": app, "name": "LaosBot", "description": "", "icon": None, "bot_public": True,
                "bot_require_code_grant": False, "owner": _user(self.owner_id, "owner"), "verify_key": "0" * 64, "flags": 0,
            })
        if path in ("/gateway", "/gateway/bot"):
            return _json({"url": f"ws://127.0.0.1:{self.port}/gateway", "shards": 1,
                                      "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})
        if method == "PUT" and path.startswith(f"/applications/{app}/") and path.endswith("/commands"):
            return _json([{**command, "id": self.new_id(), "application_id": app, "version": "1",
                                       "default_member_permissions": command.get("default_member_permissions")}
                                      for command in body])
        if method == "POST" and path.startswith("/interactions/") and path.endswith("/callback"):
            interaction_id = path.split("/")[2]
            response: dict = {"interaction": {"id": interaction_id, "type": 2}}
            if body.get("type") == 4:
                response["resource"] = {"type": 4, "message": self._message(body.get("data", {}))}
            return _json(response)
        if path.startswith(f"/webhooks/{app}/"):
            return _json(self._message(body or {}))
        if method == "POST" and path.startswith("/channels/") and path.endswith("/messages"):
            return _json(self._message(body, channel_id=path.split("/")[2]))
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _message(self, body: dict, channel_id: str | None = None) -> dict:
        return {
            "id": self.new_id(), "channel_id": channel_id or str(self.channel_id), "author": _user(self.bot_id, "LaosBot", bot=True),
            "content": body.get("content") or "", "timestamp": "2026-02-05T10:00:01+00:00", "edited_timestamp": None,
            "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [],
            "embeds": body.get("embeds") or [], "components": body.get("components") or [], "pinned": False, "type": 0,
            "flags": body.get("flags", 0),
        }

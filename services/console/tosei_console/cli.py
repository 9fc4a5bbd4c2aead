"""``tosei user add``: a person's console account, from the command line."""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
from typing import Any
from uuid import UUID

from tosei_common.platform.principal import Role
from tosei_common.platform.service import ToolContext
from tosei_common.region.municipalities import UnknownMunicipality
from tosei_console.domain.accounts import AccountProblem
from tosei_console.handlers.accounts import add_account

NOTHING_DONE = 2


def add_commands(sub: Any) -> None:
    user = sub.add_parser("user", help="console accounts (コンソールのアカウント)")
    actions = user.add_subparsers(dest="user_action", required=True)
    add = actions.add_parser(
        "add",
        help="add a person who signs in to the console",
        description="Add a console account. Without --password-stdin a password is generated "
        "and printed once.",
    )
    add.add_argument("login", help="ログインID (e.g. suzuki.hanako)")
    add.add_argument("--name", required=True, help="氏名 as shown on screens and in histories")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--municipality", help="市町村 of a municipal officer (青森市, 平内町, …)")
    add.add_argument("--expert-id", type=UUID, help="an expert's id in caseflow (role expert)")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.set_defaults(run_tool=run_user_add)


def run_user_add(args: argparse.Namespace, tool: ToolContext) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        generated = False
    else:
        password = secrets.token_urlsafe(12)
        generated = True
    actor = tool.actor

    async def run() -> str:
        async with (
            tool.runtime_of("console", application_name="tosei-user-add") as runtime,
            runtime.unit_of_work(actor) as uow,
        ):
            account = await add_account(
                uow,
                login=args.login,
                display_name=args.name,
                role=args.role,
                password=password,
                municipality=args.municipality,
                expert_id=args.expert_id,
            )
        return account.login

    try:
        login = asyncio.run(run())
    except AccountProblem as problem:
        print(f"tosei user add: {problem.field}: {problem.message}", file=sys.stderr)
        return NOTHING_DONE
    except UnknownMunicipality as problem:
        print(f"tosei user add: municipality: {problem}", file=sys.stderr)
        return NOTHING_DONE
    print(f"アカウントを作成しました: ログインID {login}（{args.name}・{Role(args.role).value}）")
    if generated:
        print(f"パスワード: {password}（この表示は一度だけです。本人に安全な方法で伝えてください）")
    return 0

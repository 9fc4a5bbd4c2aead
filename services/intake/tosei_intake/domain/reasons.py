"""The reason a coordinator gives for a request they act on (利用停止, 訴訟等による保存, 消去):
required, and said to be missing in Japanese, naming the field."""

from __future__ import annotations

from tosei_common.platform.errors import Message, Unprocessable


def required_reason(reason: str | None, doing: str) -> str:
    if reason is None or not reason.strip():
        raise Unprocessable(
            f"{doing}の理由を入力してください",
            en="say why",
            fields={"reason": Message(f"{doing}の理由を入力してください", "required")},
        )
    return reason

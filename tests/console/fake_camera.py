"""A camera that sees a QR code: Chromium's fake capture device playing a Y4M file made from the
code of a text, so the check-in screen's scanner is tested end to end (getUserMedia, the canvas,
jsQR) without a real camera."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import segno
from playwright.async_api import Browser, async_playwright

WIDTH, HEIGHT = 640, 480
BLACK, WHITE, NEUTRAL = 0, 255, 128  # full-range luma (C420jpeg); chroma 128 = no colour


def qr_video(text: str, path: Path, *, frames: int = 2) -> Path:
    """A Y4M (4:2:0) video of the code of ``text`` (as tosei_common.platform.qr draws it:
    error correction M, no micro codes), scaled up with a white quiet zone of 4 modules,
    centred on a white picture. Chromium loops the file."""
    matrix = segno.make(text, error="m", micro=False).matrix
    modules = len(matrix)
    scale = min(WIDTH, HEIGHT) // (modules + 8)
    left = (WIDTH - modules * scale) // 2
    top = (HEIGHT - modules * scale) // 2
    luma = bytearray([WHITE]) * (WIDTH * HEIGHT)
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if not dark:
                continue
            for dy in range(scale):
                start = (top + row * scale + dy) * WIDTH + left + column * scale
                luma[start : start + scale] = bytes([BLACK]) * scale
    chroma = bytes([NEUTRAL]) * ((WIDTH // 2) * (HEIGHT // 2))
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + bytes(luma) + chroma + chroma)
    return path


@asynccontextmanager
async def browser_with_camera(chromium: str, video: Path) -> AsyncIterator[Browser]:
    """A Chromium of its own whose camera plays ``video``, and which grants the camera to any
    page without asking (the flags only take effect at launch, hence a second browser)."""
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        try:
            yield launched
        finally:
            await launched.close()

"""Small, valid ID-document images made in the test, so nothing binary lives in the repository."""

from __future__ import annotations

import base64
import struct
import zlib

from selenium.webdriver.remote.webdriver import WebDriver


def png(width: int = 240, height: int = 150) -> bytes:
    """An RGB PNG that looks like a card: a light body, a dark photo box and a stripe."""
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter type 0 for every scanline
        for x in range(width):
            if 12 <= x < 72 and 20 <= y < 100:
                row += bytes((40, 60, 90))
            elif 110 <= y < 118:
                row += bytes((200, 40, 40))
            else:
                row += bytes((230, 236, 244))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows)))
            + chunk(b"IEND", b""))


def jpeg(driver: WebDriver, width: int = 240, height: int = 150) -> bytes:
    """A JPEG drawn on a canvas by the browser's own encoder (the way phones make them)."""
    data_url = driver.execute_script("""
        const canvas = document.createElement('canvas');
        canvas.width = arguments[0];
        canvas.height = arguments[1];
        const g = canvas.getContext('2d');
        g.fillStyle = '#eef2e6'; g.fillRect(0, 0, canvas.width, canvas.height);
        g.fillStyle = '#334'; g.fillRect(12, 20, 60, 80);
        g.fillStyle = '#111'; g.font = '16px sans-serif'; g.fillText('裏面 TEST', 90, 50);
        return canvas.toDataURL('image/jpeg', 0.9);
    """, width, height)
    prefix = "data:image/jpeg;base64,"
    assert data_url.startswith(prefix), f"the browser made no JPEG: {data_url[:40]!r}"
    data = base64.b64decode(data_url[len(prefix):])
    assert data[:3] == b"\xff\xd8\xff", "not a JPEG"
    return data

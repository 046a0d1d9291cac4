#!/usr/bin/env python3
"""Draws docs/exogan-encoding.png: the 16x16 ASPA-style layout of NPEGAN's ASPALayout, one colour per role.

Needs numpy only (the PNG is written with zlib). The layout rules below restate ASPALayout.swift; the Swift test
`layoutPartitionsTheImage` checks the same partition on the Swift side.
Usage: scripts/exogan-layout-figure.py [output.png]
"""
import struct
import sys
import zlib

import numpy as np

SIDE, SCALE = 16, 24
role = np.zeros((SIDE, SIDE), dtype=int)  # 0-3 segments, 4 max strip, 5 min strip, 6-12 parameters, 13 mean
for s in range(4):
    role[2 * s:2 * s + 2, 0:13] = s
    role[2 * s, 13:16] = 4
    role[2 * s + 1, 13:16] = 5
for q in range(8):
    top, left = 8 + 4 * (q // 4), 4 * (q % 4)
    role[top:top + 4, left:left + 4] = 6 + q

palette = np.array([
    (49, 104, 142), (38, 130, 142), (31, 158, 137), (53, 183, 121),   # spectral segments 0-3
    (220, 60, 60), (240, 150, 150),                                     # max / min strips
    (253, 231, 37), (240, 200, 40), (230, 170, 50), (220, 140, 60),     # parameter patches a-d
    (200, 110, 70), (180, 90, 90), (160, 80, 120),                      # parameter patches e-g
    (120, 120, 120),                                                    # mean patch
], dtype=np.uint8)

image = palette[role].repeat(SCALE, axis=0).repeat(SCALE, axis=1)
image[::SCALE, :, :] = 255  # pixel grid
image[:, ::SCALE, :] = 255


def write_png(path, rgb):
    height, width, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].tobytes() for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


write_png(sys.argv[1] if len(sys.argv) > 1 else "docs/exogan-encoding.png", image)

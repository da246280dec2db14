"""A small, independent QR code reader for tests: SVG path → module matrix → text.

It reads what segno (or any encoder drawing horizontal runs) wrote, without using segno:
the format information (ISO/IEC 18004 §7.9) gives the error level and mask; the data
modules are read in the standard zig-zag, unmasked, de-interleaved by the block table,
and the byte-mode segment is decoded. No error correction is attempted: a clean image
must decode as it is, which is exactly what a test wants.
"""

from __future__ import annotations

import re

# (total codewords, [(block count, data codewords per block), ...]) for versions 1–10.
_BLOCKS = {
    "L": {1: [(1, 19)], 2: [(1, 34)], 3: [(1, 55)], 4: [(1, 80)], 5: [(1, 108)], 6: [(2, 68)], 7: [(2, 78)],
          8: [(2, 97)], 9: [(2, 116)], 10: [(2, 68), (2, 69)]},
    "M": {1: [(1, 16)], 2: [(1, 28)], 3: [(1, 44)], 4: [(2, 32)], 5: [(2, 43)], 6: [(4, 27)], 7: [(4, 31)],
          8: [(2, 38), (2, 39)], 9: [(3, 36), (2, 37)], 10: [(4, 43), (1, 44)]},
    "Q": {1: [(1, 13)], 2: [(1, 22)], 3: [(2, 17)], 4: [(2, 24)], 5: [(2, 15), (2, 16)], 6: [(4, 19)],
          7: [(2, 14), (4, 15)], 8: [(4, 18), (2, 19)], 9: [(4, 16), (4, 17)], 10: [(6, 19), (2, 20)]},
    "H": {1: [(1, 9)], 2: [(1, 16)], 3: [(2, 13)], 4: [(4, 9)], 5: [(2, 11), (2, 12)], 6: [(4, 15)],
          7: [(4, 13), (1, 14)], 8: [(4, 14), (2, 15)], 9: [(4, 12), (4, 13)], 10: [(6, 15), (2, 16)]},
}
_TOTAL_CODEWORDS = {1: 26, 2: 44, 3: 70, 4: 100, 5: 134, 6: 172, 7: 196, 8: 242, 9: 292, 10: 346}
_ALIGNMENT = {1: [], 2: [6, 18], 3: [6, 22], 4: [6, 26], 5: [6, 30], 6: [6, 34], 7: [6, 22, 38], 8: [6, 24, 42],
              9: [6, 26, 46], 10: [6, 28, 50]}
_EC_BITS = {0b01: "L", 0b00: "M", 0b11: "Q", 0b10: "H"}
_MASKS = [
    lambda r, c: (r + c) % 2 == 0,
    lambda r, c: r % 2 == 0,
    lambda r, c: c % 3 == 0,
    lambda r, c: (r + c) % 3 == 0,
    lambda r, c: (r // 2 + c // 3) % 2 == 0,
    lambda r, c: (r * c) % 2 + (r * c) % 3 == 0,
    lambda r, c: ((r * c) % 2 + (r * c) % 3) % 2 == 0,
    lambda r, c: ((r + c) % 2 + (r * c) % 3) % 2 == 0,
]


def svg_to_matrix(svg: str) -> list[list[bool]]:
    """The dark modules of a QR code drawn as one SVG path of horizontal runs (``h``)."""
    path = re.search(r'\sd="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for op, args in re.findall(r"([MmHhVvLl])([^MmHhVvLl]*)", path):
        nums = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if op == "M":
            x, y = nums[0], nums[1]
        elif op == "m":
            x, y = x + nums[0], y + nums[1]
        elif op in "hH":
            end = x + nums[0] if op == "h" else nums[0]
            for col in range(int(round(min(x, end))), int(round(max(x, end)))):
                dark.add((int(y), col))
            x = end
        else:
            raise ValueError(f"unsupported path command {op}")
    rows = [r for r, _ in dark]
    cols = [c for _, c in dark]
    top, left = min(rows), min(cols)
    size = max(max(rows) - top, max(cols) - left) + 1
    return [[(r + top, c + left) in dark for c in range(size)] for r in range(size)]


def _function_modules(version: int, size: int) -> set[tuple[int, int]]:
    reserved: set[tuple[int, int]] = set()
    for r0, c0 in ((0, 0), (0, size - 8), (size - 8, 0)):  # finders + separators
        reserved |= {(r, c) for r in range(r0, r0 + 8) for c in range(c0, c0 + 8)}
    reserved |= {(6, i) for i in range(size)} | {(i, 6) for i in range(size)}  # timing
    centres = _ALIGNMENT[version]
    for r in centres:
        for c in centres:
            if (r, c) in ((6, 6), (6, centres[-1]), (centres[-1], 6)):
                continue
            reserved |= {(r + dr, c + dc) for dr in range(-2, 3) for dc in range(-2, 3)}
    reserved |= {(8, i) for i in range(9)} | {(i, 8) for i in range(9)}  # format info
    reserved |= {(8, size - 1 - i) for i in range(8)} | {(size - 1 - i, 8) for i in range(8)}
    if version >= 7:
        reserved |= {(r, c) for r in range(6) for c in range(size - 11, size - 8)}
        reserved |= {(r, c) for r in range(size - 11, size - 8) for c in range(6)}
    return reserved


def decode_matrix(m: list[list[bool]]) -> str:
    """The text of a byte-mode QR code (versions 1–10)."""
    size = len(m)
    version = (size - 17) // 4
    if version not in _TOTAL_CODEWORDS or size != 17 + 4 * version:
        raise ValueError(f"unsupported size {size}")
    fmt_bits = [m[8][c] for c in (0, 1, 2, 3, 4, 5, 7, 8)] + [m[r][8] for r in (7, 5, 4, 3, 2, 1, 0)]
    fmt = int("".join("1" if b else "0" for b in fmt_bits), 2) ^ 0b101010000010010
    ec_level, mask = _EC_BITS[fmt >> 13], (fmt >> 10) & 0b111
    reserved = _function_modules(version, size)

    bits: list[int] = []
    upward = True
    col = size - 1
    while col > 0:
        if col == 6:
            col -= 1
        rows = range(size - 1, -1, -1) if upward else range(size)
        for r in rows:
            for c in (col, col - 1):
                if (r, c) not in reserved:
                    bits.append(int(m[r][c]) ^ int(_MASKS[mask](r, c)))
        upward = not upward
        col -= 2
    codewords = [int("".join(map(str, bits[i:i + 8])), 2) for i in range(0, _TOTAL_CODEWORDS[version] * 8, 8)]

    blocks = [n for count, n in _BLOCKS[ec_level][version] for _ in range(count)]
    data: list[list[int]] = [[] for _ in blocks]
    i = 0
    for k in range(max(blocks)):
        for b, n in enumerate(blocks):
            if k < n:
                data[b].append(codewords[i])
                i += 1
    stream = "".join(f"{cw:08b}" for block in data for cw in block)

    mode, pos = stream[:4], 4
    if mode != "0100":
        raise ValueError(f"not byte mode: {mode}")
    count_bits = 8 if version <= 9 else 16
    length = int(stream[pos:pos + count_bits], 2)
    pos += count_bits
    raw = bytes(int(stream[pos + 8 * k: pos + 8 * k + 8], 2) for k in range(length))
    return raw.decode("utf-8")


def decode_svg(svg: str) -> str:
    return decode_matrix(svg_to_matrix(svg))

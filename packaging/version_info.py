"""The Windows version resource (File → Properties → Details) from pyproject's version."""

from __future__ import annotations

from pathlib import Path

TEMPLATE = """VSVersionInfo(
  ffi=FixedFileInfo(filevers=({t}), prodvers=({t}), mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('042a04b0', [
      StringStruct('CompanyName', 'TapHuan'),
      StringStruct('FileDescription', 'TapHuan – Quản lý tập huấn Tổ công nghệ số cộng đồng'),
      StringStruct('FileVersion', '{v}'),
      StringStruct('InternalName', 'taphuan'),
      StringStruct('LegalCopyright', 'GPL-3.0-or-later'),
      StringStruct('OriginalFilename', 'taphuan.exe'),
      StringStruct('ProductName', 'TapHuan'),
      StringStruct('ProductVersion', '{v}')])]),
    VarFileInfo([VarStruct('Translation', [0x042a, 1200])])
  ]
)
"""


def version_tuple(version: str) -> tuple[int, int, int, int]:
    parts = [int("".join(ch for ch in p if ch.isdigit()) or 0) for p in version.split(".")]
    return tuple([*parts, 0, 0, 0, 0][:4])  # type: ignore[return-value]


def write_version_file(path: Path, version: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    numbers = ", ".join(str(n) for n in version_tuple(version))
    path.write_text(TEMPLATE.format(t=numbers, v=version), encoding="utf-8")
    return str(path)

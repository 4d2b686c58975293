"""While TapHuan runs, Windows knows: a named mutex the installer and uninstaller look for.

installer.iss names both in AppMutex (Setup and the uninstaller refuse to touch the files
while either exists) and checks them again in PrepareToInstall, before anything is deleted.
Both programs (taphuan.exe and taphuan-cli.exe) take it as the very first thing they do,
before the heavy imports, and keep it until the process ends: a command waiting at a
password prompt holds its files open as much as the window does.

This module imports nothing but the standard library's sys (ctypes only on Windows): it
runs before anything else.
"""

from __future__ import annotations

import sys
from typing import Any

APP_MUTEX = "TapHuanAppMutex"
# Global\ for the other sessions on the PC (another user signed in, an all-users install),
# the local name for this session: installer.iss's AppMutex lists both, in this order.
MUTEX_NAMES = ("Global\\" + APP_MUTEX, APP_MUTEX)

_held: list[int] = []  # the handles, never closed: Windows releases them when we exit


def hold(kernel32: Any = None) -> list[int]:
    """Create the mutexes (once per process) and keep their handles; nothing off Windows.
    kernel32 stands for ctypes.windll.kernel32 (given by tests)."""
    if _held:
        return _held
    if kernel32 is None:
        if sys.platform != "win32":
            return _held
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.CreateMutexW.restype = ctypes.c_void_p
    for name in MUTEX_NAMES:
        # Not owned, only named: its existence is the sign. A handle of an existing one
        # (a second TapHuan) is as good. A failure (0) must never stop the program.
        handle = kernel32.CreateMutexW(None, False, name)
        if handle:
            _held.append(handle)
    return _held

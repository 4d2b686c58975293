"""The frozen build's entry point (taphuan.exe and taphuan-cli.exe): `python -m app`.

The running-app mutex first, before the heavy imports: an installer started while this
program starts must already see it (installer.iss: AppMutex, PrepareToInstall)."""

import sys

from app import running

running.hold()

from app.cli import main  # noqa: E402  (after the mutex, on purpose)

if __name__ == "__main__":
    sys.exit(main())

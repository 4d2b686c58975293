import sys

from app import running

running.hold()  # the running-app mutex first (installer.iss's AppMutex): see app/running.py

from app.cli import main  # noqa: E402

sys.exit(main())

"""A throwaway PostgreSQL server for the tests: initdb into a temporary folder, start it on a free
port as the unprivileged postgres user (the server refuses to run as root), stop it afterwards."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def pg_bin() -> Path:
    """The newest installed PostgreSQL server's bin folder (Debian keeps them versioned)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError("no PostgreSQL server found: make test installs Debian's postgresql package")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """Its folder is made directly under the system's temporary folder, since the postgres user
    cannot enter pytest's root-only temporary folders."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="batterydb-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.bin = pg_bin()
        self._as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as_user, *args], check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> "Server":
        if self._as_user:
            shutil.chown(self.root, "postgres")
            os.chmod(self.root, 0o755)
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "--no-sync", "-E", "UTF8", "--locale=C")
        # The free port was released before the server binds it, so another process may take it
        # first: then the server cannot bind, and it starts again on another.
        for attempt in range(5):
            try:
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"), "-w",
                          "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
                break
            except subprocess.CalledProcessError:
                log = (self.root / "server.log").read_text() if (self.root / "server.log").exists() else ""
                if "could not bind" not in log or attempt == 4:
                    raise RuntimeError(f"the PostgreSQL server did not start:\n{log}") from None
                self.port = _free_port()
        deadline = time.time() + 30
        while subprocess.run([str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                             capture_output=True).returncode != 0:
            if time.time() > deadline:
                raise RuntimeError((self.root / "server.log").read_text())
            time.sleep(0.2)
        return self

    def stop(self) -> None:
        subprocess.run([*self._as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)

    def dsn(self, user: str = "postgres", dbname: str = "postgres", password: str | None = None) -> str:
        dsn = f"host=127.0.0.1 port={self.port} user={user} dbname={dbname}"
        return dsn + (f" password={password}" if password else "")

"""A private Dovecot IMAP server for tests, run from a temporary directory on free loopback ports.

Nothing is shared with a system-wide Dovecot: the instance has its own config file, base_dir (sockets,
pid file), state_dir, log file, passwd-file users and Maildir storage, all under one temporary
directory that `close()` removes. One listener speaks plain IMAP with STARTTLS (`imap`), the other
implicit TLS (`imaps`); both present a certificate signed by the test CA in `ca_pem` (tests/servers/tls.py).

The helpers talk IMAP to the server as the user, through imapclient on the plain port, so that what
they set up (messages, flags, folders, a new UIDVALIDITY) is exactly what a client would see.
"""

from __future__ import annotations

import contextlib
import datetime
import grp
import os
import pwd
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from imapclient import IMAPClient

from .tls import certificates

HOST = "127.0.0.1"
STARTUP_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0
CLIENT_TIMEOUT = 10.0
SPECIAL_FOLDERS = {"Drafts": r"\Drafts", "Sent": r"\Sent", "Junk": r"\Junk", "Trash": r"\Trash"}


class DovecotError(RuntimeError):
    """Dovecot did not start or stop; the message carries the tail of its log."""


def free_port() -> int:
    """A loopback port nobody listens on right now (the server binds it a moment later)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Dovecot:
    """A running Dovecot, as a context manager: `with Dovecot() as server: server.add_user("ann", "pw")`.

    `stop()` and `start()` simulate an outage and keep the ports, users and mail.
    """

    host = HOST
    separator = "/"

    def __init__(self, startup_timeout: float = STARTUP_TIMEOUT) -> None:
        self.startup_timeout = startup_timeout
        self.imap = self.imaps = 0
        self.root: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._users: dict[str, str] = {}
        self._tokens: dict[str, str] = {}
        self._users_stamp = 0
        # Dovecot refuses to run mail processes as root; as root, mail belongs to nobody/nogroup.
        if os.geteuid() == 0:
            self.mail_uid, self.mail_gid = pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid
        else:
            self.mail_uid, self.mail_gid = os.geteuid(), os.getegid()

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> Dovecot:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def config_file(self) -> Path:
        assert self.root is not None, "the server was never started"
        return self.root / "dovecot.conf"

    @property
    def log_file(self) -> Path:
        assert self.root is not None, "the server was never started"
        return self.root / "dovecot.log"

    @property
    def ca_pem(self) -> str:
        """The test CA: give it to a client to trust the server, withhold it to see verification fail."""
        return certificates().ca_pem

    @property
    def ca_file(self) -> Path:
        assert self.root is not None, "the server was never started"
        return self.root / "tls" / "ca.pem"

    def start(self) -> None:
        """Start the master in the foreground (so we own its process) and wait until both ports greet."""
        if self.running:
            return
        if self.root is None:
            self._prepare()
        # A port picked by free_port() can be taken before Dovecot binds it: then pick again.
        for attempt in range(3):
            if attempt or not self.imap:
                self.imap, self.imaps = free_port(), free_port()
            self._write_config()
            try:
                self._launch()
                return
            except DovecotError as error:
                if "Address already in use" not in str(error) or attempt == 2:
                    raise

    def stop(self) -> None:
        """Stop the server as an admin would (`doveadm stop`); connections fail until `start()`."""
        if self._process is None:
            return
        if self._process.poll() is None:
            # doveadm waits for the master's pid to vanish, which a child we have not reaped never does:
            # so reap the master while doveadm waits.
            stopper = subprocess.Popen(
                ["doveadm", "-c", str(self.config_file), "stop"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                self._process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                # Last resort: the whole process group (the master and every process it started).
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait(STOP_TIMEOUT)
            finally:
                try:
                    stopper.wait(STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    stopper.kill()
                    stopper.wait()
        self._process = None
        self._wait_closed()

    def close(self) -> None:
        """Stop the server and remove everything it wrote."""
        try:
            self.stop()
        finally:
            if self.root is not None:
                shutil.rmtree(self.root, ignore_errors=True)
                self.root = None

    def log_tail(self, lines: int = 40) -> str:
        """The end of Dovecot's log and of what the master printed before its log was open."""
        if self.root is None:
            return ""
        text = ""
        for path in (self.root / "master.out", self.log_file):
            if path.exists():
                text += path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def _prepare(self) -> None:
        # Short path under /tmp: Dovecot's unix sockets live in base_dir and their paths are capped at 108 bytes.
        self.root = Path(tempfile.mkdtemp(prefix="dovecot-"))
        self.root.chmod(0o755)  # the auth, login and mail processes run as other users
        certificates().write(self.root / "tls")
        for directory in ("users", "tokens", "home"):
            (self.root / directory).mkdir()
        os.chown(self.root / "home", self.mail_uid, self.mail_gid)

    def _launch(self) -> None:
        with (self.root / "master.out").open("ab") as out:
            self._process = subprocess.Popen(
                ["dovecot", "-F", "-c", str(self.config_file)],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so that a failed stop can end all of it
            )
        deadline = time.monotonic() + self.startup_timeout
        pending = {self.imap: False, self.imaps: True}
        while pending:
            if self._process.poll() is not None:
                self._process = None
                raise DovecotError(f"dovecot exited at start:\n{self.log_tail()}")
            for port, implicit_tls in list(pending.items()):
                if _greets(port, implicit_tls):
                    del pending[port]
            if pending and time.monotonic() > deadline:
                self.stop()
                raise DovecotError(f"dovecot did not answer on {sorted(pending)} in time:\n{self.log_tail()}")
            if pending:
                time.sleep(0.05)

    def _wait_closed(self) -> None:
        """After a stop, wait (bounded) until the ports refuse connections, so a test sees the outage."""
        deadline = time.monotonic() + STOP_TIMEOUT
        while any(_accepts(port) for port in (self.imap, self.imaps)):
            if time.monotonic() > deadline:
                raise DovecotError(f"dovecot still listens after stop:\n{self.log_tail()}")
            time.sleep(0.05)

    def _write_config(self) -> None:
        root = self.root
        internal = ("dovecot", "dovenull") if os.geteuid() == 0 else (pwd.getpwuid(os.geteuid()).pw_name,) * 2
        mailboxes = "\n".join(
            f"  mailbox {name} {{\n    special_use = {flag}\n    auto = subscribe\n  }}"
            for name, flag in SPECIAL_FOLDERS.items()
        )
        self.config_file.write_text(f"""\
# Written by tests/servers/dovecot.py for one test run.
protocols = imap
listen = {HOST}
instance_name = inbox-test-{self.imap}
base_dir = {root}/run
state_dir = {root}/state
log_path = {self.log_file}
info_log_path = {self.log_file}
auth_verbose = yes
default_internal_user = {internal[0]}
default_login_user = {internal[1]}
first_valid_uid = 1
first_valid_gid = 1

ssl = yes
ssl_cert = <{root}/tls/cert.pem
ssl_key = <{root}/tls/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_failure_delay = 0  # a wrong password is answered within ~0.5 s instead of 2 s
auth_mechanisms = plain login xoauth2 oauthbearer

# Passwords for PLAIN/LOGIN; OAuth access tokens, checked as static strings, for XOAUTH2/OAUTHBEARER.
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users/%u
  mechanisms = plain login
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/tokens/%u
  mechanisms = xoauth2 oauthbearer
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/users/%u
}}

mail_location = maildir:~/Maildir
mail_uid = {self.mail_uid}
mail_gid = {self.mail_gid}
mail_fsync = never
namespace inbox {{
  inbox = yes
  separator = {self.separator}
{mailboxes}
}}
protocol imap {{
  mail_max_userip_connections = 100
}}

service imap-login {{
  inet_listener imap {{
    address = {HOST}
    port = {self.imap}
  }}
  inet_listener imaps {{
    address = {HOST}
    port = {self.imaps}
    ssl = yes
  }}
}}
# No per-IP auth penalty: after a failed login Dovecot 2.3 would delay every later login from 127.0.0.1
# by 2 s and more (even with auth_failure_delay = 0), so one wrong-password test would slow every mailbox
# after it. Mode 0 disables the listener; the auth process then runs without penalties.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
# Mail processes run as the mail user and report to the stats socket: let them.
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
""")

    # ------------------------------------------------------------------ users

    def add_user(self, name: str, password: str, token: str | None = None) -> None:
        """Add (or change) a user; `token` is an OAuth access token accepted by XOAUTH2/OAUTHBEARER."""
        if not name or "/" in name or name.startswith("."):
            raise ValueError(f"not a usable user name: {name!r}")
        for value in (name, password, token or ""):
            if any(c in value for c in ":\n\r"):
                raise ValueError(f"passwd-file values cannot contain ':' or newlines: {value!r}")
        changed = name in self._users
        self._users[name] = password
        if token is not None:
            self._tokens[name] = token
        self._write_user(name)
        if changed:
            # Dovecot looks at a passwd-file at most once per second: let that second pass.
            time.sleep(1 - time.time() % 1 + 0.01)

    def new_mailbox(self, domain: str = "shop.test") -> Mailbox:
        """A fresh user with a random password and OAuth token, and the helpers bound to it."""
        name = f"user-{secrets.token_hex(4)}@{domain}"
        mailbox = Mailbox(self, name, secrets.token_urlsafe(12), secrets.token_urlsafe(24))
        self.add_user(mailbox.username, mailbox.password, token=mailbox.token)
        return mailbox

    def remove_user(self, name: str) -> None:
        """Forget the user and delete their mail."""
        self._users.pop(name, None)
        self._tokens.pop(name, None)
        if self.root is not None:
            for directory in ("users", "tokens", "home"):
                path = self.root / directory / name
                shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)

    def _write_user(self, name: str) -> None:
        """One passwd-file per user (the config's path ends in %u), so a new user is seen at once."""
        assert self.root is not None
        fields = f":{self.mail_uid}:{self.mail_gid}::{self.root}/home/{name}::\n"
        for directory, secrets_by_user in (("users", self._users), ("tokens", self._tokens)):
            if name in secrets_by_user:
                path = self.root / directory / name
                path.write_text(f"{name}:{{PLAIN}}{secrets_by_user[name]}{fields}")
                path.chmod(0o644)
                # Dovecot re-reads the file when its mtime (whole seconds) or size differs from what it read.
                self._users_stamp = max(int(time.time()), self._users_stamp + 1)
                os.utime(path, (self._users_stamp, self._users_stamp))

    # ------------------------------------------------------------------ IMAP helpers (as the user)

    @contextlib.contextmanager
    def client(self, user: str, password: str, tls: str = "none") -> Iterator[IMAPClient]:
        """A logged-in imapclient; tls is "none" (plain port), "starttls" or "implicit", trusting the test CA."""
        context = ssl.create_default_context(cadata=self.ca_pem)
        if tls == "implicit":
            client = IMAPClient(self.host, self.imaps, ssl=True, ssl_context=context, timeout=CLIENT_TIMEOUT)
        else:
            client = IMAPClient(self.host, self.imap, ssl=False, timeout=CLIENT_TIMEOUT)
            if tls == "starttls":
                client.starttls(context)
            elif tls != "none":
                raise ValueError(f"unknown tls mode {tls!r}")
        try:
            client.login(user, password)
            yield client
        finally:
            with contextlib.suppress(Exception):
                client.logout()
            with contextlib.suppress(Exception):
                client.shutdown()

    def append(
        self,
        user: str,
        password: str,
        folder: str,
        raw: bytes,
        flags: Iterable[str] = (),
        when: datetime.datetime | None = None,
    ) -> int:
        """APPEND one message; returns its UID (from Dovecot's APPENDUID). `when` is the INTERNALDATE."""
        with self.client(user, password) as imap:
            response = imap.append(folder, raw, tuple(flags), when)
        return _appended_uids(response)[-1]

    def append_many(self, user: str, password: str, folder: str, raws: Iterable[bytes], batch: int = 500) -> list[int]:
        """APPEND many messages over one connection (MULTIAPPEND, `batch` per command); returns their UIDs."""
        uids: list[int] = []
        chunk: list[bytes] = []
        with self.client(user, password) as imap:
            for raw in raws:
                chunk.append(raw)
                if len(chunk) == batch:
                    uids += _appended_uids(imap.multiappend(folder, chunk))
                    chunk = []
            if chunk:
                uids += _appended_uids(imap.multiappend(folder, chunk))
        return uids

    def create_folder(self, user: str, password: str, folder: str) -> None:
        with self.client(user, password) as imap:
            imap.create_folder(folder)
            imap.subscribe_folder(folder)

    def delete_folder(self, user: str, password: str, folder: str) -> None:
        with self.client(user, password) as imap:
            imap.delete_folder(folder)

    def folders(self, user: str, password: str) -> list[str]:
        with self.client(user, password) as imap:
            return [name for _flags, _sep, name in imap.list_folders()]

    def message_count(self, user: str, password: str, folder: str = "INBOX") -> int:
        with self.client(user, password) as imap:
            return imap.folder_status(folder, ["MESSAGES"])[b"MESSAGES"]

    def fetch_flags(self, user: str, password: str, folder: str = "INBOX") -> dict[int, tuple[bytes, ...]]:
        """Flags of every message by UID, read without changing them (EXAMINE)."""
        with self.client(user, password) as imap:
            imap.select_folder(folder, readonly=True)
            return {uid: data[b"FLAGS"] for uid, data in imap.fetch("1:*", ["FLAGS"]).items()}

    def set_flags(self, user: str, password: str, folder: str, uids: Iterable[int], flags: Iterable[str]) -> None:
        """Replace the flags of some messages, e.g. to mark one read in "another client"."""
        with self.client(user, password) as imap:
            imap.select_folder(folder)
            imap.set_flags(list(uids), tuple(flags))

    def expunge(self, user: str, password: str, folder: str, uids: Iterable[int]) -> None:
        """Delete messages for good, as another client would."""
        with self.client(user, password) as imap:
            imap.select_folder(folder)
            imap.delete_messages(list(uids))
            imap.uid_expunge(list(uids))

    def uidvalidity(self, user: str, password: str, folder: str = "INBOX") -> int:
        with self.client(user, password) as imap:
            return imap.folder_status(folder, ["UIDVALIDITY"])[b"UIDVALIDITY"]

    def reset_uidvalidity(self, user: str, password: str, folder: str = "INBOX") -> tuple[int, int]:
        """Give `folder` a new UIDVALIDITY while keeping its messages, as a server rebuild does.

        The messages (same bytes, flags and INTERNALDATE) are copied to a scratch folder, the folder is
        emptied, `doveadm mailbox update --uid-validity` gives it a new UIDVALIDITY, and the messages
        are copied back: same messages, new UIDs, new UIDVALIDITY. Works for INBOX too, which cannot
        be renamed. Returns (old, new) and checks that the server really reports the new value.
        """
        scratch = f"reset-uidvalidity-{time.monotonic_ns()}"
        with self.client(user, password) as imap:
            old = imap.folder_status(folder, ["UIDVALIDITY"])[b"UIDVALIDITY"]
            imap.create_folder(scratch)
            imap.select_folder(folder)
            uids = imap.search("ALL")
            if uids:
                imap.copy(uids, scratch)
                imap.delete_messages(uids)
                imap.uid_expunge(uids)
            imap.close_folder()
        self._doveadm("mailbox", "update", "-u", user, "--uid-validity", str(max(old + 1, int(time.time()))), folder)
        with self.client(user, password) as imap:
            imap.select_folder(scratch)
            uids = imap.search("ALL")
            if uids:
                imap.copy(uids, folder)
            imap.close_folder()
            imap.delete_folder(scratch)
            seen = imap.folder_status(folder, ["UIDVALIDITY"])[b"UIDVALIDITY"]
        if seen == old:
            raise DovecotError(f"UIDVALIDITY of {folder} did not change ({old})")
        return old, seen

    def _doveadm(self, *args: str) -> str:
        result = subprocess.run(
            ["doveadm", "-c", str(self.config_file), *args],
            capture_output=True,
            text=True,
            timeout=STOP_TIMEOUT,
            check=False,
        )
        if result.returncode:
            raise DovecotError(f"doveadm {' '.join(args)} failed: {result.stderr.strip()}\n{self.log_tail()}")
        return result.stdout

    # ------------------------------------------------------------------ mbsync (Debian isync)

    def mbsync_config(self, user: str, password: str, local_dir: Path, folders: str = "*") -> Path:
        """Write an mbsyncrc that pulls `user`'s mail over implicit TLS into a Maildir under `local_dir`.

        Run it with: `mbsync -c <returned path> -a` (add `-q` for quiet). `folders` is mbsync's `Patterns`.
        """
        local_dir.mkdir(parents=True, exist_ok=True)
        (local_dir / "mail").mkdir(exist_ok=True)
        rc = local_dir / "mbsyncrc"
        rc.write_text(f"""\
IMAPAccount test
Host {self.host}
Port {self.imaps}
User {user}
Pass "{password}"
SSLType IMAPS
CertificateFile {self.ca_file}
PipelineDepth 50

IMAPStore remote
Account test

MaildirStore local
Path {local_dir}/mail/
Inbox {local_dir}/mail/INBOX
SubFolders Verbatim

Channel test
Far :remote:
Near :local:
Patterns {folders}
Create Near
Sync Pull
SyncState *
""")
        return rc


@dataclass(frozen=True)
class Mailbox:
    """One user of a running Dovecot: where to connect, the credentials, and the helpers as that user."""

    server: Dovecot
    username: str
    password: str
    token: str  # accepted by XOAUTH2 and OAUTHBEARER in place of the password

    @property
    def host(self) -> str:
        return self.server.host

    @property
    def imap_port(self) -> int:
        """Plain IMAP with STARTTLS."""
        return self.server.imap

    @property
    def imaps_port(self) -> int:
        """Implicit TLS."""
        return self.server.imaps

    @property
    def ca_pem(self) -> str:
        return self.server.ca_pem

    def imap_settings(self, tls: str = "implicit", trust_ca: bool = True) -> dict[str, Any]:
        """The `imap` part of an email integration, as POST /inbox/integrations takes it.

        With trust_ca=False the server's certificate cannot be verified: the TLS-failure case.
        """
        port = self.imaps_port if tls == "implicit" else self.imap_port
        settings = {"host": self.host, "port": port, "tls": tls, "username": self.username, "password": self.password}
        if trust_ca and tls != "none":
            settings["ca_cert"] = self.ca_pem
        return settings

    def client(self, tls: str = "none") -> contextlib.AbstractContextManager[IMAPClient]:
        return self.server.client(self.username, self.password, tls)

    def append(self, folder: str, raw: bytes, flags: Iterable[str] = (), when: datetime.datetime | None = None) -> int:
        return self.server.append(self.username, self.password, folder, raw, flags, when)

    def append_many(self, folder: str, raws: Iterable[bytes], batch: int = 500) -> list[int]:
        return self.server.append_many(self.username, self.password, folder, raws, batch)

    def create_folder(self, folder: str) -> None:
        self.server.create_folder(self.username, self.password, folder)

    def delete_folder(self, folder: str) -> None:
        self.server.delete_folder(self.username, self.password, folder)

    def folders(self) -> list[str]:
        return self.server.folders(self.username, self.password)

    def message_count(self, folder: str = "INBOX") -> int:
        return self.server.message_count(self.username, self.password, folder)

    def fetch_flags(self, folder: str = "INBOX") -> dict[int, tuple[bytes, ...]]:
        return self.server.fetch_flags(self.username, self.password, folder)

    def set_flags(self, folder: str, uids: Iterable[int], flags: Iterable[str]) -> None:
        self.server.set_flags(self.username, self.password, folder, uids, flags)

    def expunge(self, folder: str, uids: Iterable[int]) -> None:
        self.server.expunge(self.username, self.password, folder, uids)

    def uidvalidity(self, folder: str = "INBOX") -> int:
        return self.server.uidvalidity(self.username, self.password, folder)

    def reset_uidvalidity(self, folder: str = "INBOX") -> tuple[int, int]:
        return self.server.reset_uidvalidity(self.username, self.password, folder)

    def mbsync_config(self, local_dir: Path, folders: str = "*") -> Path:
        return self.server.mbsync_config(self.username, self.password, local_dir, folders)


def _appended_uids(response: bytes | tuple[str, list[bytes]]) -> list[int]:
    """UIDs from an APPEND (bytes) or MULTIAPPEND ((typ, [bytes])) response: '[APPENDUID <validity> <uid-set>] ...'."""
    text = (response if isinstance(response, bytes) else response[1][-1]).decode()
    uid_set = text.split("APPENDUID", 1)[1].split("]", 1)[0].split()[1]
    uids: list[int] = []
    for part in uid_set.split(","):
        first, _, last = part.partition(":")
        uids += range(int(first), int(last or first) + 1)
    return uids


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return True
    except OSError:
        return False


def _greets(port: int, implicit_tls: bool) -> bool:
    """True once the port answers with an IMAP greeting (after a TLS handshake for the implicit-TLS port)."""
    try:
        with socket.create_connection((HOST, port), timeout=2) as sock:
            if implicit_tls:
                context = ssl.create_default_context(cadata=certificates().ca_pem)
                with context.wrap_socket(sock, server_hostname=HOST) as tls:
                    return tls.recv(100).startswith(b"* OK")
            return sock.recv(100).startswith(b"* OK")
    except OSError:
        return False

"""Counters of one host kept in small files: what rate limits count when there is no Redis.

Django's file cache is no place for a counter added to on every public request: each addition
reads and rewrites a pickled file through a temporary file, and every write lists the whole
cache directory to cull it, so a request cost more the more clients had been counted. Here each
counter is one file of 16 bytes (expiry and count, in seconds since the epoch and as an integer)
under ``<cache directory>/counters``, named by a digest of its key; an addition opens it, locks
it (``flock``: the processes of one host put in line), reads, writes in place and closes.

Expired files are swept when a counter is created, at most once a minute per process: a sweep
deletes a file only under its lock, and an addition that finds its file deleted while it waited
for the lock opens the new one, so no count is lost to a sweep.
"""

import fcntl
import hashlib
import os
import struct
import time
from pathlib import Path

RECORD = struct.Struct("<qq")  # expires at (epoch seconds), count
SWEEP_SECONDS = 60
_last_sweep = 0.0


def _path(directory: Path, key: str) -> Path:
    return directory / hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


def _read(fd: int, now: float) -> int:
    data = os.pread(fd, RECORD.size, 0)
    if len(data) != RECORD.size:
        return 0
    expires, count = RECORD.unpack(data)
    return count if expires > now else 0


def _open_locked(path: Path, *, create: bool) -> int | None:
    """Open ``path`` and lock it; None when it (or, with ``create``, its directory) is missing."""
    flags = os.O_RDWR | (os.O_CREAT if create else 0)
    while True:
        try:
            fd = os.open(path, flags, 0o600)
        except FileNotFoundError:
            return None
        fcntl.flock(fd, fcntl.LOCK_EX)
        if os.fstat(fd).st_nlink:  # not deleted by a sweep while this waited for the lock
            return fd
        os.close(fd)


def counter_incr(directory: Path, key: str, *, timeout: int) -> int:
    """Add one to the counter ``key`` (kept ``timeout`` seconds from its first count)."""
    path = _path(directory, key)
    fd = _open_locked(path, create=True)
    if fd is None:  # the first counter of this directory
        directory.mkdir(parents=True, exist_ok=True)
        fd = _open_locked(path, create=True)
        if fd is None:
            raise FileNotFoundError(directory)
    now = time.time()
    try:
        data = os.pread(fd, RECORD.size, 0)
        fresh = len(data) != RECORD.size
        count = 0 if fresh else _read(fd, now)
        expires = int(now) + timeout if not count else RECORD.unpack(data)[0]
        os.pwrite(fd, RECORD.pack(expires, count + 1), 0)
    finally:
        os.close(fd)  # closing releases the lock
    if fresh:
        _sweep_now_and_then(directory, now)
    return count + 1


def counter_decr(directory: Path, key: str) -> None:
    """Take one off the counter ``key``; nothing when it is gone or expired."""
    fd = _open_locked(_path(directory, key), create=False)
    if fd is None:
        return
    try:
        count = _read(fd, time.time())
        if count > 0:
            expires = RECORD.unpack(os.pread(fd, RECORD.size, 0))[0]
            os.pwrite(fd, RECORD.pack(expires, count - 1), 0)
    finally:
        os.close(fd)


def counter_get(directory: Path, key: str) -> int:
    """Return the counter ``key`` (0 when it is gone or expired)."""
    try:
        fd = os.open(_path(directory, key), os.O_RDONLY)
    except FileNotFoundError:
        return 0
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        return _read(fd, time.time())
    finally:
        os.close(fd)


def _sweep_now_and_then(directory: Path, now: float) -> None:
    global _last_sweep  # one mark per process
    if now - _last_sweep < SWEEP_SECONDS:
        return
    _last_sweep = now
    for entry in os.scandir(directory):
        try:
            fd = os.open(entry.path, os.O_RDWR)
        except FileNotFoundError:
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # in use: not expired
                continue
            data = os.pread(fd, RECORD.size, 0)
            if len(data) == RECORD.size and RECORD.unpack(data)[0] <= now:
                Path(entry.path).unlink()
        finally:
            os.close(fd)

"""Backup and restore drill: dump an installation, restore it elsewhere, and count it again.

Set-up: a throwaway database on the PostgreSQL server (DATABASE_URL, default the local one),
loaded through the services with the demo enterprise and a few thousand cases worked round the
loop, plus voices with photos (files under the media directory); then ``xinsheng
figures_rebuild``, and the figures tables are summed.

The backup is what docs/deployment.md prescribes: ``pg_dump -Fc`` of the database and an archive
of the media directory. It is restored into a new database (``pg_restore``) and a new, empty
media directory; there ``xinsheng figures_rebuild`` counts the figures again from the restored
cases. Printed: both sums and whether they are equal, the rows of each table on both sides, and
whether every file a restored row names is in the restored media directory.

    .venv/bin/python bench/drill_restore.py

Environment: DRILL_CASES (3000), DRILL_PHOTOS (40 voices with a photo each).
"""

import os
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

import drill_kit as kit

CASES = os.environ.get("DRILL_CASES", "3000")
PHOTOS = os.environ.get("DRILL_PHOTOS", "40")
UNIT = "JT-C1-M1-A01"
# Every column that names a file under the media directory.
FILE_COLUMNS = (
    ("cases_casephoto", "image"),
    ("projects_projectphoto", "image"),
    ("insight_similarsnapshot", "file"),
    ("cases_ledgerexportjob", "file"),
)


def program(name: str) -> str:
    """Return PostgreSQL's client program ``name`` of the server's version."""
    return str(kit.postgres_bindir() / name)


def files_named(database: str) -> list[str]:
    """Return the media paths that rows of ``database`` name."""
    names: list[str] = []
    for table, column in FILE_COLUMNS:
        rows = kit.query(database, f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> %s', "")  # noqa: S608
        names += [row[0] for row in rows]
    return names


def media_files(media: Path) -> tuple[int, int]:
    """Return the number and total size of the files under ``media``."""
    files = [path for path in media.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


def main() -> None:
    secret = os.urandom(32).hex()  # the restored installation keeps the original's secret key
    with (
        kit.throwaway_database(kit.LOCAL_SERVER, "xs_drill_origin") as origin,
        kit.throwaway_database(kit.LOCAL_SERVER, "xs_drill_restored") as restored,
        tempfile.TemporaryDirectory(prefix="xs-drill-") as workdir,
    ):
        work = Path(workdir)
        env = kit.installation_env(origin, work / "origin", SECRET_KEY=secret, DEMO_CASES=CASES)
        began = time.monotonic()
        kit.xinsheng(env, "migrate", "-v0")
        kit.xinsheng(env, "demo")
        kit.setup(env, "photos", UNIT, PHOTOS)
        kit.xinsheng(env, "figures_rebuild")
        loaded = time.monotonic() - began
        before = kit.setup(env, "figures")

        # The backup: the database dump and an archive of the media files.
        began = time.monotonic()
        dump = work / "xinsheng.dump"
        subprocess.run([program("pg_dump"), "-Fc", "-f", str(dump), origin], check=True)  # noqa: S603
        archive = work / "media.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(work / "origin" / "media", arcname="media")
        backed_up = time.monotonic() - began

        # The restore: a new database and a new media directory, and the figures counted again.
        began = time.monotonic()
        subprocess.run(  # noqa: S603
            [program("pg_restore"), "--no-owner", "--exit-on-error", "-d", restored, str(dump)],
            check=True,
        )
        with tarfile.open(archive) as tar:
            tar.extractall(work / "restored", filter="data")
        env_restored = kit.installation_env(restored, work / "restored", SECRET_KEY=secret)
        kit.xinsheng(env_restored, "migrate", "-v0")  # nothing to do: the dump is current
        kit.xinsheng(env_restored, "figures_rebuild")
        restored_seconds = time.monotonic() - began
        after = kit.setup(env_restored, "figures")

        named = files_named(restored)
        missing = [name for name in named if not (work / "restored" / "media" / name).is_file()]
        media_before = media_files(work / "origin" / "media")
        media_after = media_files(work / "restored" / "media")
        print(
            f"origin: {CASES} demo cases through the services and {PHOTOS} voices with a photo, "
            f"loaded in {loaded:.0f} s; dump {dump.stat().st_size / 1e6:.1f} MB, media archive "
            f"{archive.stat().st_size / 1e6:.1f} MB, in {backed_up:.1f} s; restored and "
            f"recounted in {restored_seconds:.1f} s"
        )
        report(before, after)
        print(
            f"media files: {media_before[0]} ({media_before[1] / 1e6:.1f} MB) before, "
            f"{media_after[0]} ({media_after[1] / 1e6:.1f} MB) restored; rows naming a file: "
            f"{len(named)}, of which missing after the restore: {len(missing)} (must be 0)"
        )


def report(before: dict[str, dict[str, int]], after: dict[str, dict[str, int]]) -> None:
    sum_before, sum_after = sum(before["sums"].values()), sum(after["sums"].values())
    differing = [k for k in before["sums"] if before["sums"][k] != after["sums"].get(k)]
    print(
        f"figures summed (every counter of reports_casefigure, reports_unitfigures and "
        f"reports_unitbreakdown): {sum_before} before, {sum_after} after the restore and "
        f"recount: {'equal' if not differing and sum_before == sum_after else 'DIFFERENT'}"
    )
    for key in differing:
        print(f"  differs: {key} {before['sums'][key]} → {after['sums'].get(key)}")
    print(f"{'table':<40} {'rows before':>12} {'restored':>10}")
    unequal = 0
    for table in sorted(before["rows"]):
        rows_before, rows_after = before["rows"][table], after["rows"].get(table)
        mark = "" if rows_before == rows_after else "  ≠"
        unequal += bool(mark)
        if rows_before or rows_after:
            print(f"{table:<40} {rows_before:>12} {rows_after!s:>10}{mark}")
    empty = sum(1 for t in before["rows"] if not before["rows"][t] and not after["rows"].get(t))
    print(f"tables with different row counts: {unequal}; empty on both sides (not listed): {empty}")


if __name__ == "__main__":
    main()

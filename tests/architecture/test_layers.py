"""The layering of the apps is checked by import-linter; a wrong import fails with a clear message.

``make lint`` runs ``lint-imports`` on the real tree. Here the contracts are also run against a
scratch copy of the package into which an import that runs back up has been written, to show
that the contracts catch it (and say which import it was).
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter not installed")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """Run the project's contracts over the package found under ``tree / "src"``."""
    return subprocess.run(  # noqa: S603 — our own tool, our own arguments
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A copy of the package and the contracts, to break on purpose."""
    shutil.copytree(
        ROOT / "src" / "xinsheng",
        tmp_path / "src" / "xinsheng",
        ignore=shutil.ignore_patterns("__pycache__", "static", "locale", "templates"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_its_layers(scratch: Path) -> None:
    result = lint_imports(scratch)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_core_importing_a_domain_app_fails_the_build(scratch: Path) -> None:
    wrong = scratch / "src" / "xinsheng" / "core" / "wrong.py"
    wrong.write_text("from xinsheng.cases.models import Case\n\nCASE = Case\n")

    result = lint_imports(scratch)

    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "xinsheng.core is not allowed to import xinsheng.cases" in result.stdout
    assert "xinsheng.core.wrong -> xinsheng.cases.models" in result.stdout


def test_reports_and_insight_stay_independent(scratch: Path) -> None:
    wrong = scratch / "src" / "xinsheng" / "insight" / "wrong.py"
    wrong.write_text("from xinsheng.reports import metrics\n\nMETRICS = metrics\n")

    result = lint_imports(scratch)

    assert result.returncode != 0
    assert "xinsheng.insight.wrong -> xinsheng.reports.metrics" in result.stdout


def test_a_module_importing_its_own_tasks_fails_the_build(scratch: Path) -> None:
    services = scratch / "src" / "xinsheng" / "cases" / "services.py"
    services.write_text(services.read_text() + "\nfrom xinsheng.cases import tasks  # noqa\n")

    result = lint_imports(scratch)

    assert result.returncode != 0
    assert "xinsheng.cases.services -> xinsheng.cases.tasks" in result.stdout

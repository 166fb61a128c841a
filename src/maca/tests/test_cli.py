"""The `maca` command, run as a user runs it: a real process."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

MACA = shutil.which("maca", path=str(Path(sys.executable).parent))


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    assert MACA is not None, "the maca console script is not installed in this environment"
    env = {**os.environ, "MACA_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([MACA, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def test_maca_migrates_and_loads_the_demo(tmp_path: Path) -> None:
    assert run("migrate", "--no-input", "-v", "0", tmp_path=tmp_path).returncode == 0
    result = run("load_demo", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "coordinator@demo.maca.invalid" in result.stdout
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("no_such_command",), "Unknown command: 'no_such_command'"),
        (("load_demo", "--no-such-option"), "unrecognized arguments: --no-such-option"),
    ],
)
def test_a_failing_command_says_why_on_stderr_and_exits_non_zero(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run(*args, tmp_path=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_bad_configuration_is_refused_with_the_setting_named(tmp_path: Path) -> None:
    assert MACA is not None
    env = {**os.environ, "MACA_VAR_DIR": str(tmp_path), "MACA_DEBUG": "perhaps"}
    result = subprocess.run([MACA, "check"], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode != 0
    assert "MACA_DEBUG must be one of" in result.stderr

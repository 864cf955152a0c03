"""Production settings: `check --deploy` is clean, and unsafe configurations are refused."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Set by tests/settings.py for the test process; a production check must not inherit them.
TEST_ONLY_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SALT_KEY",
}


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    environment.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


def test_check_deploy_prints_no_warning_on_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-long-random-production-like-secret-key-0123456789-abcdefghijkl",
        SALT_KEY="production-like-salt",
        ALLOWED_HOSTS="accompagnement.example.org",
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNINGS" not in result.stderr


def test_secret_key_is_required_when_not_debugging():
    result = run_manage("check", DEBUG="0", SECRET_KEY="")

    assert result.returncode != 0
    assert "SECRET_KEY doit être défini" in result.stderr


def test_a_database_other_than_postgresql_is_refused():
    result = run_manage("check", DEBUG="1", DATABASE_URL="sqlite:///var/nope.db")

    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_the_release_defaults_to_the_checked_out_commit(tmp_path):
    from lmh_accompagnement.settings import git_commit

    git = tmp_path / ".git"
    git.mkdir()
    assert git_commit(tmp_path / "absent") == ""
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "packed-refs").write_text("# pack-refs with: peeled\n" + "a" * 40 + " refs/heads/main\n")
    assert git_commit(git) == "a" * 40
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "refs" / "heads" / "main").write_text("b" * 40 + "\n")
    assert git_commit(git) == "b" * 40
    (git / "HEAD").write_text("c" * 40 + "\n")  # detached
    assert git_commit(git) == "c" * 40

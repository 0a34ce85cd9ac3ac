"""The dependency lock: `requirements.lock`, every package pinned with its hashes.

  python scripts/lock.py lock    # resolve pyproject.toml again (uv pip compile) and write it
  python scripts/lock.py check   # exit 1, saying what to do, when pyproject.toml changed since

The lock's first line records a digest of pyproject.toml's dependency tables, so a merge that
adds a dependency is caught at `make install` with the hint to run `make lock`.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PYPROJECT = ROOT / "pyproject.toml"
PREFIX = "# pyproject-dependencies-sha256: "
PYTHON = "3.12"  # the oldest Python facit supports; --universal covers the newer ones


def digest() -> str:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    tables = {
        "requires-python": project.get("requires-python", ""),
        "dependencies": sorted(project.get("dependencies", [])),
        "optional-dependencies": {
            k: sorted(v) for k, v in sorted(project.get("optional-dependencies", {}).items())
        },
    }
    return hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()


def recorded() -> str:
    if not LOCK.exists():
        return ""
    first = LOCK.read_text().splitlines()[:1]
    return first[0][len(PREFIX) :].strip() if first and first[0].startswith(PREFIX) else ""


def lock() -> int:
    uv = Path(sys.executable).parent / "uv"
    if not uv.exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "uv"], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "requirements.lock"
        command = [
            str(uv), "pip", "compile", "pyproject.toml", "--extra", "dev",
            "--generate-hashes", "--universal", "--python-version", PYTHON,
            "--no-header", "--quiet", "-o", str(out),
        ]  # fmt: skip
        subprocess.run(command, cwd=ROOT, check=True)  # noqa: S603 (uv with fixed arguments)
        header = (
            f"{PREFIX}{digest()}\n"
            "# Written by `make lock` (scripts/lock.py: uv pip compile pyproject.toml --extra dev\n"
            f"# --generate-hashes --universal --python-version {PYTHON}); do not edit by hand.\n"
        )
        LOCK.write_text(header + out.read_text())
    print(f"wrote {LOCK.name}")
    return 0


def check() -> int:
    if not LOCK.exists():
        print(f"{LOCK.name} is missing: run `make lock` to create it.", file=sys.stderr)
        return 1
    if recorded() != digest():
        print(
            f"pyproject.toml's dependencies changed since {LOCK.name} was written (after a "
            "merge, say), so the lock no longer matches them.\n"
            "Run `make lock` to resolve them again, then commit requirements.lock.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    commands = {"lock": lock, "check": check}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    sys.exit(commands[sys.argv[1]]())

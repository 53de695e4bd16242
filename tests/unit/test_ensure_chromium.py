"""`make test` on a fresh machine: Chromium for the browser tests, installed or asked for first.

``scripts/ensure-chromium`` runs in a made-up machine: a PATH holding only fakes of ``id``,
``apt-get`` and (when wanted) ``chromium``, and an os-release file of the test's choosing.
Nothing is installed for real.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "ensure-chromium"
BASH = shutil.which("bash") or "/bin/bash"
CHMOD = shutil.which("chmod") or "/bin/chmod"
DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n'
UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n'

# apt-get as root would: record the call; `install chromium` puts chromium on PATH.
FAKE_APT_GET = """#!{bash}
echo "apt-get $*" >> "{log}"
if [[ "$*" == *install*chromium* ]]; then
    printf '#!{bash}\\n' > "{bin}/chromium"
    {chmod} +x "{bin}/chromium"
fi
"""


@dataclass
class Machine:
    bin: Path
    os_release: Path
    apt_log: Path

    def run(self, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [BASH, str(SCRIPT)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            env={"PATH": str(self.bin), "REGISTRAR_OS_RELEASE": str(self.os_release), **env},
        )

    def apt_calls(self) -> list[str]:
        return self.apt_log.read_text().splitlines() if self.apt_log.exists() else []


def _executable(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o755)


def _machine(tmp_path: Path, *, uid: int, os_release: str, chromium: bool = False) -> Machine:
    """A PATH without the real system's tools: ``id -u`` answers ``uid``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    _executable(bin_dir / "id", f'#!{BASH}\n[[ "$1" == -u ]] && echo {uid}\n')
    _executable(
        bin_dir / "apt-get", FAKE_APT_GET.format(bash=BASH, chmod=CHMOD, log=log, bin=bin_dir)
    )
    if chromium:
        _executable(bin_dir / "chromium", f"#!{BASH}\n")
    release = tmp_path / "os-release"
    release.write_text(os_release)
    return Machine(bin_dir, release, log)


def test_not_root_on_debian_stops_with_the_command_to_run(tmp_path: Path) -> None:
    machine = _machine(tmp_path, uid=1000, os_release=DEBIAN)
    result = machine.run()
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "The browser tests need Debian's Chromium: run `sudo apt-get install chromium` "
        "(make test installs it itself only when run as root), then run make test again."
    ]
    assert machine.apt_calls() == []


@pytest.mark.parametrize("uid", [0, 1000])
def test_not_debian_stops_with_one_sentence_and_installs_nothing(tmp_path: Path, uid: int) -> None:
    machine = _machine(tmp_path, uid=uid, os_release=UBUNTU)
    result = machine.run()
    assert result.returncode != 0
    [sentence] = result.stderr.strip().splitlines()
    assert sentence.startswith("The browser tests need Chromium: install it")
    assert "REGISTRAR_CHROMIUM" in sentence
    assert machine.apt_calls() == []


def test_root_on_debian_installs_debians_chromium(tmp_path: Path) -> None:
    machine = _machine(tmp_path, uid=0, os_release=DEBIAN)
    result = machine.run()
    assert result.returncode == 0, result.stderr
    assert machine.apt_calls() == ["apt-get update -qq", "apt-get install -y -qq chromium"]
    assert (machine.bin / "chromium").exists()


def test_root_on_debian_stops_when_apt_fails(tmp_path: Path) -> None:
    machine = _machine(tmp_path, uid=0, os_release=DEBIAN)
    _executable(
        machine.bin / "apt-get", f"#!{BASH}\necho 'E: Unable to locate package' >&2\nexit 100\n"
    )
    result = machine.run()
    assert result.returncode != 0
    assert not (machine.bin / "chromium").exists()


def test_chromium_on_path_needs_nothing(tmp_path: Path) -> None:
    machine = _machine(tmp_path, uid=1000, os_release=DEBIAN, chromium=True)
    result = machine.run()
    assert (result.returncode, result.stderr) == (0, "")
    assert machine.apt_calls() == []


def test_registrar_chromium_is_used_instead_of_path(tmp_path: Path) -> None:
    machine = _machine(tmp_path, uid=0, os_release=DEBIAN)
    browser = tmp_path / "my-chromium"
    _executable(browser, f"#!{BASH}\n")
    assert machine.run(REGISTRAR_CHROMIUM=str(browser)).returncode == 0
    wrong = machine.run(REGISTRAR_CHROMIUM=str(tmp_path / "missing"))
    assert wrong.returncode != 0
    assert "REGISTRAR_CHROMIUM names" in wrong.stderr
    assert machine.apt_calls() == []


def test_make_test_checks_chromium_before_anything_else() -> None:
    makefile = (ROOT / "Makefile").read_text()
    [test_rule] = [line for line in makefile.splitlines() if line.startswith("test:")]
    assert test_rule.split()[1] == "browser"
    assert "scripts/ensure-chromium" in makefile
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert [line for line in ci if line and not line.startswith("#")] == [
        "set -euo pipefail",
        'cd "$(dirname "$0")/.."',
        "make test",
    ]

import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "kor" / "outcomes"


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PACKAGE.parents[1],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )


def test_the_engine_imports_without_django():
    code = (
        "import sys, kor.outcomes, kor.outcomes.bench, kor.outcomes.synthetic\n"
        "print('django' in sys.modules)"
    )
    assert run(code).stdout.strip() == "False"


def test_no_module_mentions_a_django_import():
    for path in PACKAGE.glob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+django", path.read_text(), re.MULTILINE), (
            path.name
        )


def test_the_benchmark_prints_one_figure_per_line():
    out = run("from kor.outcomes import bench; bench.main()").stdout
    names = []
    for line in out.splitlines():
        match = re.fullmatch(r"(\w+): (\d+\.\d+) (us|s)", line)
        assert match, line
        names.append(match[1])
    assert names == ["assess_us", "summarize_100k_s", "fit_norms_20k_s"]

"""The README's ten-line example prints the same on minitorch and on torch."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _ten_lines():
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    return text.split("## Ten lines")[1].split("```python")[1].split("```")[0]


def _run(code, backend):
    code = code.replace("import minitorch as torch", f"import {backend} as torch")
    env = dict(os.environ, PYTHONPATH=ROOT)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_readme_example_matches_torch():
    code = _ten_lines()
    assert "import minitorch as torch" in code
    assert _run(code, "minitorch") == _run(code, "torch")

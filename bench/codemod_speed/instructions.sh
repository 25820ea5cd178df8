#!/usr/bin/env bash
# The per-file ratios of bench.py (the codemod against a bare libcst parse+render of the same
# modules) in instructions counted by valgrind instead of CPU time: the same figure on every
# run, however loaded the shared machine is (CPU time moves by a tenth or more from run to run
# there), so a change of a few per cent shows. Instructions are not time: the bare parse runs
# mostly in libcst's native parser, the codemod mostly in Python, and a Python instruction
# costs more time on average; bench.py's CPU ratios stay the figures the target is about.
# Installs valgrind (apt-get) when it is missing. About 3 minutes per row.
#   bash bench/codemod_speed/instructions.sh [flask_shop] [django_blog]   (default: both)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PY="${VENV_BIN:-$ROOT/.venv/bin}/python"
if ! command -v valgrind >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        (apt-get install -y valgrind >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y valgrind >/dev/null; })
    else
        echo "valgrind is not installed (apt-get install valgrind)" >&2
        exit 2
    fi
fi
# compiled first: a run that writes .pyc files would count their compiling
"$PY" -m compileall -q codemods bench >/dev/null
REPEATS=2
instructions() {  # FRAMEWORK FOLDER MODE REPEATS
    PYTHONHASHSEED=0 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
        "$PY" -m bench.codemod_speed.instructions "$@" 2>&1 >/dev/null |
        awk '/I *refs:/ {gsub(",", "", $4); print $4}'
}
apps=("$@")
[ ${#apps[@]} -gt 0 ] || apps=(flask_shop django_blog)
for name in "${apps[@]}"; do
    case "$name" in
        django_*) framework=django ;;
        *) framework=flask ;;
    esac
    folder="legacy_examples/$name"
    none=$(instructions "$framework" "$folder" none 0)
    codemod=$(instructions "$framework" "$folder" codemod "$REPEATS")
    bare=$(instructions "$framework" "$folder" bare "$REPEATS")
    "$PY" - "$folder" "$none" "$codemod" "$bare" "$REPEATS" <<'PY'
import sys
folder, none, codemod, bare, repeats = sys.argv[1], *map(int, sys.argv[2:])
one_codemod, one_bare = (codemod - none) / repeats, (bare - none) / repeats
print(
    f"{folder}: codemod {one_codemod / 1e9:.3f} G instructions a run, bare parse+render"
    f" {one_bare / 1e9:.3f} G: {one_codemod / one_bare:.2f}x (target <= 3x)"
)
PY
done

"""Throughput ratios of the strangler front (see run.sh). One worker process per server, wrk with
BENCH_CONNECTIONS connections, medians of BENCH_RUNS interleaved runs of BENCH_SECONDS each.

- legacy route through the front  / the same legacy app under gunicorn gthread (8 threads)
- migrated route through the front / the same FastAPI app alone under uvicorn
- migrated route through the front / the same route on legacy through the front: what moving a
  route to FastAPI does to it
- granian's own WSGI server running the legacy app, as a ceiling
- the same pairs with every server pinned to one core (the front by its `[server] cpu_affinity`,
  the others by `taskset`), and the pinned front against gunicorn as it is usually run
- with BENCH_BASE=<git ref>: the front of that commit too, on the legacy route and on the
  migrated one with that commit's runtime and generated app (checked out in a git worktree under
  bench/.work), so a change's before and after come from one run, side by side
- BENCH_KINDS=gunicorn,front-legacy,... measures only those servers (ratios needing others are
  left out); BENCH_APPS=flask_shop only that app

Next to each rate, the server's CPU time per request (its whole process group, from /proc):
unlike req/s it hardly depends on what else the machine is running, so it shows where the
front's cost goes when other work shares the cores.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.servers import free_port, running_server, venv_command  # noqa: E402

WORK = ROOT / "bench" / ".work" / "proxy_overhead"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
# Legacy threads in the front. These example apps are CPU-bound (SQLite, no network waits), so
# fewer threads mean less GIL contention; an app that waits on a remote database wants more.
FRONT_THREADS = int(os.environ.get("BENCH_FRONT_THREADS", "4"))
# The core pinned servers run on: the last one, so that wrk tends to keep to the others.
PIN_CORE = sorted(os.sched_getaffinity(0))[-1]
BASE = os.environ.get("BENCH_BASE", "")
BASE_TREE = WORK / "base"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: str = ""


@dataclass(frozen=True)
class App:
    name: str
    wsgi: str
    migrated: str
    get: Request
    post: Request
    migrated_methods: tuple[str, ...]  # which of GET/POST have a migrated route
    env: dict[str, str]
    ready: str


def front_config(app: App, migrated: bool, pinned: bool) -> Path:
    text = f'[legacy]\napp = "{app.wsgi}"\nthreads = {FRONT_THREADS}\n'
    if pinned:
        text += f"\n[server]\ncpu_affinity = [{PIN_CORE}]\n"
    if migrated:
        text += f'\n[migrated]\napp = "{app.migrated}"\n'
        for method in app.migrated_methods:
            request = app.get if method == "GET" else app.post
            text += f'\n[[routes]]\npath = "{request.path}"\nmethods = ["{method}"]\nmode = "new"\n'
    name = f"{app.name}-{'migrated' if migrated else 'legacy'}{'-pinned' if pinned else ''}"
    path = WORK / f"{name}.toml"
    path.write_text(text)
    return path


def prepare() -> list[App]:
    WORK.mkdir(parents=True, exist_ok=True)
    shop_db = WORK / "shop.db"
    shop_env = {
        "DATABASE_URL": f"sqlite:///{shop_db}",
        "UPLOAD_FOLDER": str(WORK / "uploads"),
        "SECRET_KEY": "bench",
    }
    blog_db = WORK / "blog.sqlite3"
    blog_env = {
        "DATABASE_URL": "",
        "DJANGO_BLOG_DB": str(blog_db),
        "DJANGO_SETTINGS_MODULE": "legacy_examples.django_blog.config.settings",
    }
    env = {**os.environ}
    subprocess.run(
        [venv_command("flask"), "--app", "legacy_examples.flask_shop.wsgi", "seed"],
        env={**env, **shop_env},
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    manage = str(ROOT / "legacy_examples" / "django_blog" / "manage.py")
    for command in (["migrate", "--noinput"], ["seed"]):
        subprocess.run(
            [sys.executable, manage, *command],
            env={**env, **blog_env},
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
    quote = '{"lines": [{"product_id": 1, "quantity": 2}, {"product_id": 2, "quantity": 1}]}'
    return [
        App(
            "flask_shop", "legacy_examples.flask_shop.wsgi:app", "migrated.flask_shop.wsgi:app",
            Request("GET", "/api/categories"), Request("POST", "/api/quote", quote),
            ("GET", "POST"), shop_env, "/api/categories",
        ),
        App(
            "django_blog", "legacy_examples.django_blog.config.wsgi:application",
            "migrated.django_blog:create_app",
            Request("GET", "/api/tags/"), Request("POST", "/api/posts/", '{"title": ""}'),
            ("GET", "POST"), blog_env, "/api/tags/",
        ),
    ]  # fmt: skip


KINDS = (
    "gunicorn", "granian", "front-legacy", "front-migrated", "fastapi",
    "gunicorn-pinned", "front-legacy-pinned", "front-migrated-pinned", "fastapi-pinned",
) + (("front-legacy-base", "front-migrated-base") if BASE else ())  # fmt: skip
if os.environ.get("BENCH_KINDS"):
    KINDS = tuple(kind for kind in KINDS if kind in os.environ["BENCH_KINDS"].split(","))


def checkout_base() -> None:
    """The BENCH_BASE commit in a git worktree of its own (replaced if one is left over)."""
    if BASE_TREE.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(BASE_TREE)])
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(BASE_TREE), BASE],
        check=True,
        capture_output=True,
    )


def remove_base() -> None:
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(BASE_TREE)],
        capture_output=True,
    )


def server_argv(app: App, kind: str, port: int) -> list[str]:
    if kind.endswith("-base"):  # run from the base worktree (cwd and PYTHONPATH)
        config = front_config(app, kind.startswith("front-migrated"), False)
        main = "import sys; from proxy.cli import main; sys.exit(main())"
        return [sys.executable, "-c", main, "serve", "--config", str(config), "--port", str(port)]
    if kind.startswith("front-"):
        config = front_config(app, kind.startswith("front-migrated"), kind.endswith("-pinned"))
        return [venv_command("strangler"), "serve", "--config", str(config), "--port", str(port)]
    if kind.endswith("-pinned"):
        return ["taskset", "--cpu-list", str(PIN_CORE), *server_argv(app, kind[:-7], port)]
    bind = ["--host", "127.0.0.1", "--port", str(port)]
    if kind == "gunicorn":
        return [
            venv_command("gunicorn"),
            "--worker-class",
            "gthread",
            "--threads",
            "8",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            app.wsgi,
        ]
    if kind == "granian":
        return [
            venv_command("granian"),
            "--interface",
            "wsgi",
            "--workers",
            "1",
            "--blocking-threads",
            "8",
            "--no-log",
            *bind,
            app.wsgi,
        ]
    if kind == "fastapi":
        return [
            venv_command("uvicorn"),
            "--workers",
            "1",
            "--no-access-log",
            "--log-level",
            "warning",
            *bind,
            *(["--factory"] if app.migrated.endswith(":create_app") else []),
            app.migrated,
        ]
    raise ValueError(f"unknown server kind {kind!r}")


def process_group(port: int) -> int:
    """The process group of the server listening on `port` (running_server starts a session)."""
    listing = subprocess.run(
        ["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True, check=True
    ).stdout
    pid = re.search(r"pid=(\d+)", listing)
    if pid is None:
        raise RuntimeError(f"nothing listens on port {port}")
    return os.getpgid(int(pid[1]))


def cpu_seconds(group: int) -> float:
    """User + system CPU time of every process in `group`."""
    ticks = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[2]) == group:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk(url: str, request: Request) -> tuple[float, int, int]:
    script = WORK / f"{request.method.lower()}.lua"
    body = request.body.replace("\\", "\\\\").replace('"', '\\"')
    script.write_text(
        f'wrk.method = "{request.method}"\n'
        f'wrk.body = "{body}"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
    )
    result = subprocess.run(
        ["wrk", "-t", "1", "-c", str(CONNECTIONS), "-d", f"{SECONDS}s", "-s", str(script),
         url + request.path],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    total = re.search(r"(\d+) requests in", result.stdout)
    return (
        float(rate[1]) if rate else 0.0,
        int(errors[1]) if errors else 0,
        int(total[1]) if total else 0,
    )


def app_cost(app: App, request: Request) -> float:
    """The legacy app's own CPU seconds per request, in-process with no server (app_cost.py)."""
    script = str(ROOT / "bench" / "proxy_overhead" / "app_cost.py")
    result = subprocess.run(
        [sys.executable, script, app.wsgi, request.method, request.path, request.body],
        env={**os.environ, **app.env}, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(result.stdout) / 1e6


def report(
    app: App,
    median: dict[tuple[str, str], float],
    cpu: dict[tuple[str, str], float],
    statuses: dict[tuple[str, str], int],
    own: dict[str, float],
) -> None:
    print(f"\n== {app.name}")
    for (kind, method), value in sorted(median.items()):
        errors = statuses[(kind, method)]
        note = f"  ({errors} non-2xx, the same on every server)" if errors else ""
        cost = cpu[(kind, method)] * 1e6
        print(f"  {method:4} {kind:21} {value:9.0f} req/s  {cost:7.0f} us CPU/request{note}")
    for request in (app.get, app.post):
        print(
            f"  {request.method:4} {request.path}  (in brackets: the same ratio of CPU per request)"
        )
        for label, kind, base, target in RATIOS:
            if ("migrated" in kind) and request.method not in app.migrated_methods:
                continue
            key, base_key = (kind, request.method), (base, request.method)
            if key not in median or base_key not in median:
                continue
            rate = median[key] / median[base_key]
            cost = cpu[base_key] / cpu[key]
            print(f"       {label:66} = {rate:.2f}  ({cost:.2f}){target}")
        m = request.method
        if ("gunicorn", m) in cpu and ("gunicorn-pinned", m) in cpu:
            print(
                f"       the app's own CPU per request, no server: {own[m] * 1e6:.0f} us; so no"
                f" server can use less CPU than gunicorn by more than"
                f" {cpu[('gunicorn', m)] / own[m]:.2f}"
                f" ({cpu[('gunicorn-pinned', m)] / own[m]:.2f} pinned)"
            )
        if request.method not in app.migrated_methods:
            print(f"       migrated route: n/a (no migrated {request.method} route in {app.name})")


RATIOS = (
    ("legacy route: front / gunicorn gthread", "front-legacy", "gunicorn", "  (target >= 1.5)"),
    (f"  front at {BASE or 'BENCH_BASE'} / gunicorn gthread", "front-legacy-base", "gunicorn", ""),
    (
        f"  front / front at {BASE or 'BENCH_BASE'} (not below 1)",
        "front-legacy",
        "front-legacy-base",
        "",
    ),
    (
        "  both pinned to one core: front / gunicorn",
        "front-legacy-pinned",
        "gunicorn-pinned",
        "",
    ),
    ("  front pinned / gunicorn as usually run", "front-legacy-pinned", "gunicorn", ""),
    ("ceiling: granian / gunicorn", "granian", "gunicorn", ""),
    ("migrated route: front / FastAPI alone", "front-migrated", "fastapi", "  (target >= 0.95)"),
    (
        "  both pinned to one core: front / FastAPI alone",
        "front-migrated-pinned",
        "fastapi-pinned",
        "",
    ),
    (
        "migrated route / the same route on legacy, both through the front",
        "front-migrated",
        "front-legacy",
        "  (target >= 1.0)",
    ),
    (
        f"  at {BASE or 'BENCH_BASE'}: its migrated route / legacy, both through the front",
        "front-migrated-base",
        "front-legacy",
        "",
    ),
    (
        f"  migrated route: now / at {BASE or 'BENCH_BASE'}, both through the front",
        "front-migrated",
        "front-migrated-base",
        "",
    ),
)


def main() -> int:
    apps = prepare()
    print(f"wrk: 1 thread, {CONNECTIONS} connections, {SECONDS}s per run, median of {RUNS} runs;")
    print(f"front: [legacy] threads = {FRONT_THREADS}; gunicorn: gthread, 8 threads")
    print(f"pinned servers run on core {PIN_CORE} of {sorted(os.sched_getaffinity(0))}")
    if BASE:
        checkout_base()
        print(f"base: the front of {BASE}, from a git worktree at {BASE_TREE}")
    try:
        wanted = os.environ.get("BENCH_APPS", "").split(",") if os.environ.get("BENCH_APPS") else []
        for app in apps:
            if not wanted or app.name in wanted:
                bench_app(app)
    finally:
        if BASE:
            remove_base()
    return 0


def base_has(target: str, env: dict[str, str]) -> bool:
    """Whether the base commit's checkout has `module:name` (an older commit may lack a migrated
    app's factory: its front-migrated-base row is then left out, not a failed run)."""
    module, _, name = target.partition(":")
    check = f"import importlib; getattr(importlib.import_module({module!r}), {name!r})"
    found = subprocess.run(
        [sys.executable, "-c", check],
        cwd=BASE_TREE,
        env={**os.environ, **env, "PYTHONPATH": str(BASE_TREE)},
        capture_output=True,
    )
    return found.returncode == 0


def bench_app(app: App) -> None:
    kinds = KINDS
    if "front-migrated-base" in kinds and not base_has(app.migrated, app.env):
        print(f"{app.name}: {BASE} has no {app.migrated}; its front-migrated-base is left out")
        kinds = tuple(kind for kind in kinds if kind != "front-migrated-base")
    with ExitStack() as stack:
        urls = {}
        for kind in kinds:
            port = free_port()
            argv = server_argv(app, kind, port)
            base = kind.endswith("-base")
            env = {**app.env, "PYTHONPATH": str(BASE_TREE)} if base else app.env
            urls[kind] = stack.enter_context(
                running_server(
                    argv,
                    port,
                    env=env,
                    ready_path=app.ready,
                    timeout=60,
                    cwd=BASE_TREE if base else ROOT,
                )
            )
        plan: list[tuple[str, Request]] = []
        for request in (app.get, app.post):
            migrated = request.method in app.migrated_methods
            plan += [
                (kind, request)
                for kind in kinds
                if migrated or not ("migrated" in kind or "fastapi" in kind)
            ]
        groups = {kind: process_group(int(url.rsplit(":", 1)[1])) for kind, url in urls.items()}
        samples: dict[tuple[str, str], list[float]] = {}
        costs: dict[tuple[str, str], list[float]] = {}
        statuses: dict[tuple[str, str], int] = {}
        for run in range(RUNS):
            # interleaved: each run measures every server once, starting one later each time
            # so that no server always follows the same neighbour
            shift = run % len(plan)
            for kind, request in plan[shift:] + plan[:shift]:
                before = cpu_seconds(groups[kind])
                rate, non_2xx, total = wrk(urls[kind], request)
                spent = cpu_seconds(groups[kind]) - before
                samples.setdefault((kind, request.method), []).append(rate)
                costs.setdefault((kind, request.method), []).append(spent / max(total, 1))
                statuses[(kind, request.method)] = non_2xx
        median = {key: statistics.median(values) for key, values in samples.items()}
        cpu = {key: statistics.median(values) for key, values in costs.items()}
        own = {request.method: app_cost(app, request) for request in (app.get, app.post)}
        report(app, median, cpu, statuses, own)


if __name__ == "__main__":
    sys.exit(main())

"""The visible Flask corpus: published apps nobody here wrote, and how to build each one.

Each `build` runs in the app's own venv, in an empty scratch folder (so files an app writes at
start-up, such as a SQLite database, land there), and leaves the Flask app in `app`.
"""

from __future__ import annotations

from tests.support.corpus import App

# A database to browse: its table is named `x`, the sample verification gives a `<table>`.
SQLITE_WEB_DATABASE = (
    "import os, sqlite3\n"
    "path = os.path.abspath('corpus.db')\n"
    "with sqlite3.connect(path) as connection:\n"
    "    connection.execute('create table if not exists x (id integer primary key, body text)')\n"
    "    connection.execute(\"insert or ignore into x values (1, 'one')\")\n"
)

SQLITE_WEB = App(
    name="sqlite-web",
    version="0.8.2",
    source="sqlite_web",
    build=(
        SQLITE_WEB_DATABASE + "from sqlite_web.sqlite_web import app, initialize_app\n"
        "initialize_app([path])\n"
    ),
    verify_with_build=True,
    new_build=(
        SQLITE_WEB_DATABASE + "from {package}.sqlite_web import app, initialize_app\n"
        "initialize_app([path])\n"
    ),
)

RQ_DASHBOARD = App(
    name="rq-dashboard",
    version="0.9.0",
    source="rq_dashboard",
    requirements=("six",),  # rq_dashboard/web.py imports six without declaring it
    # its create_app() reads Redis's URL from here: the local Redis, a scratch database
    verify_env=(("RQ_DASHBOARD_REDIS_URL", "redis://127.0.0.1:6379/15"),),
    build=(
        "from rq_dashboard.cli import make_flask_app\n"
        "app = make_flask_app(None, None, None, '/rq')\n"
    ),
)

MONITORING_DASHBOARD = App(
    name="flask-monitoringdashboard",
    version="5.1.0",
    source="flask_monitoringdashboard",
    build=(
        "import os, flask, flask_monitoringdashboard as dashboard\n"
        "app = flask.Flask('corpus_host')\n"
        "dashboard.config.database_name = 'sqlite:///' + os.path.abspath('dashboard.db')\n"
        "dashboard.bind(app)\n"
    ),
    verify_with_build=True,  # an extension: verification gets its host app
)

LEKTOR_ADMIN = App(
    name="lektor",
    version="3.3.14",
    source="lektor/admin",
    build=(
        "import os, pathlib\n"
        "from lektor.environment import Environment\n"
        "from lektor.project import Project\n"
        "from lektor.admin.webui import WebAdmin\n"
        "pathlib.Path('corpus.lektorproject').write_text('[project]\\nname = corpus\\n')\n"
        "env = Environment(Project.discover(os.getcwd()), load_plugins=False)\n"
        "app = WebAdmin(env, output_path=os.path.abspath('build'))\n"
    ),
    verify_with_build=True,  # its app needs a Lektor project
)

BUKUSERVER = App(
    name="buku",
    version="5.1",
    source="bukuserver",
    extras=("server",),
    # The 5.1 sdist lacks bukuserver/apidocs: Swagger is set up without its template file.
    build=(
        "import os, flasgger\n"
        "import bukuserver.server as server\n"
        "server.Swagger = lambda app, template_file=None, **kw: flasgger.Swagger(app, **kw)\n"
        "app = server.create_app(db_file=os.path.abspath('bookmarks.db'))\n"
    ),
    # verification builds the legacy side the same way (the sdist's missing file), and the new
    # side from the generated factory with the same database file
    verify_with_build=True,
    new_build=(
        "import os\n"
        "from {package}.server import create_app\n"
        "app = create_app(db_file=os.path.abspath('bookmarks.db'))\n"
    ),
)

LEMUR = App(
    name="lemur",
    version="1.9.3",
    source="lemur",
    build="from lemur import create_app\napp = create_app()\n",
)

FLASK_APPS = (SQLITE_WEB, RQ_DASHBOARD, MONITORING_DASHBOARD, LEKTOR_ADMIN, BUKUSERVER, LEMUR)

# Published apps beyond the visible corpus, run on demand (`STRANGLER_CORPUS_EXTRA=1 bash
# bench/corpus/run.sh flask`): where a rule written for a new pattern is proved, outside the
# figures of the corpus and of `make test`.
CHANGEDETECTION = App(
    name="changedetection.io",
    version="0.60.10",
    source="changedetectionio",
    # its app is made by `changedetection_app(config, datastore)`: a fresh datastore each side
    build=(
        "import os\n"
        "from changedetectionio import store\n"
        "from changedetectionio.flask_app import changedetection_app\n"
        "os.makedirs('datastore-legacy', exist_ok=True)\n"
        "path = os.path.abspath('datastore-legacy')\n"
        "datastore = store.ChangeDetectionStore(\n"
        "    datastore_path=path, include_default_watches=False\n"
        ")\n"
        "app = changedetection_app({'datastore_path': path}, datastore)\n"
    ),
    verify_with_build=True,
    new_build=(
        "import os\n"
        "from {package} import store\n"
        "from {package}.flask_app import changedetection_app\n"
        "os.makedirs('datastore-new', exist_ok=True)\n"
        "path = os.path.abspath('datastore-new')\n"
        "datastore = store.ChangeDetectionStore(\n"
        "    datastore_path=path, include_default_watches=False\n"
        ")\n"
        "app = changedetection_app({{'datastore_path': path}}, datastore)\n"
    ),
)

EXTRA_FLASK_APPS = (CHANGEDETECTION,)

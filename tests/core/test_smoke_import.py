import subprocess
import sys


def test_import_redun_is_light():
    code = (
        "import sys, redun; heavy = [m for m in ('sqlalchemy', 'alembic', 'boto3', 'botocore',"
        " 'pyspark', 'psycopg', 'textual', 'click', 'rich') if m in sys.modules];"
        " print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_redun_help_imports_no_plugin_dependency():
    """Whatever plugins are installed, ``redun --help`` pays for none of them."""
    code = (
        "import sys\nfrom redun.cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('boto3', 'botocore', 'pyspark', 'psycopg', 'sqlalchemy', 'textual')\n"
        "print(','.join(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Usage: redun" in out.stdout
    assert out.stderr.strip() == ""


def test_redun_run_does_not_import_the_orm(tmp_path):
    """The SQLAlchemy ORM costs ~0.1 s to import; recording uses Core only."""
    (tmp_path / "wf.py").write_text("from redun import task\n@task()\ndef main():\n    return 1\n")
    code = (
        "import sys\n"
        "from redun.cli.main import main\n"
        "try:\n    main(['run', 'wf.py', 'main'])\nexcept SystemExit:\n    pass\n"
        "print('ORM' if 'sqlalchemy.orm' in sys.modules else 'CORE', file=sys.stderr)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "1"
    assert out.stderr.strip().splitlines()[-1] == "CORE"


def test_star_import_works_without_plugins():
    code = "from redun import *\nprint(Scheduler.__name__, File.__name__, task.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["Scheduler", "File", "task"]


def test_plugin_names_say_which_package_to_install():
    """Without the plugin, hasattr() is False and the error names the package to install."""
    code = (
        "import sys\n"
        "sys.modules['redun_spark'] = None  # as if redun-spark were not installed\n"
        "import redun\n"
        "print(hasattr(redun, 'ShardedS3Dataset'))\n"
        "try:\n    redun.ShardedS3Dataset\nexcept AttributeError as exc:\n    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [
        "False",
        "redun.ShardedS3Dataset is provided by redun-spark: pip install redun-spark",
    ]


def test_redun_run_on_sqlite_does_not_import_sqlalchemy(tmp_path):
    """A first run creates its repository from static DDL, and a rerun reads and writes an
    existing repository at the current schema: both through the DBAPI alone."""
    (tmp_path / "wf.py").write_text("from redun import task\n@task()\ndef main():\n    return 1\n")
    code = (
        "import sys\n"
        "from redun.cli.main import main\n"
        "try:\n    main(['run', 'wf.py', 'main'])\nexcept SystemExit:\n    pass\n"
        "print('SQLA' if 'sqlalchemy' in sys.modules else 'DBAPI', file=sys.stderr)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
        )
        for _ in range(2)
    ]
    assert [run.stdout.strip() for run in runs] == ["1", "1"]
    assert runs[0].stderr.strip().splitlines()[-1] == "DBAPI", "the first run creates the schema"
    assert runs[1].stderr.strip().splitlines()[-1] == "DBAPI"
    assert "Cached Job" in runs[1].stderr

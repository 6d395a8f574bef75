import subprocess
import sys


def test_import_redun_is_light():
    code = (
        "import sys, redun; heavy = [m for m in ('sqlalchemy', 'alembic', 'boto3', 'pyspark',"
        " 'psycopg', 'textual', 'click', 'rich') if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""

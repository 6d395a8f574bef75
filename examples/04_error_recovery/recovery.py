"""Recover from failing steps with catch, so one bad record does not sink the run.

redun run recovery.py main
redun run recovery.py main --records "x=1,y=oops,z"
"""

from redun import catch, task

redun_namespace = "error_recovery"


class BadRecord(ValueError):
    """A record that is not ``key=integer``."""


@task()
def parse_record(record: str) -> dict:
    key, sep, value = record.partition("=")
    if not sep:
        raise BadRecord(f"record {record!r} has no '='")
    if not value.strip().lstrip("-").isdigit():
        raise BadRecord(f"record {record!r} has a non-integer value")
    return {"key": key.strip(), "value": int(value)}


@task()
def skip_record(error: Exception) -> dict:
    """Called with the exception instead of failing the workflow."""
    return {"skipped": str(error)}


@task()
def report(results: list[dict]) -> dict:
    parsed = [r for r in results if "key" in r]
    return {
        "total": sum(r["value"] for r in parsed),
        "parsed": len(parsed),
        "skipped": [r["skipped"] for r in results if "skipped" in r],
    }


@task()
def main(records: str = "a=1,b=2,oops,c=x,d=4") -> dict:
    # catch(expr, ErrorClass, recover): a lazy try/except around each parse.
    results = [catch(parse_record(r), BadRecord, skip_record) for r in records.split(",")]
    return report(results)

"""A workflow whose calls change in each way `redun why` explains (read by its tests)."""

from redun import File, get_context, task

redun_namespace = "whydemo"


@task()
def count_lines(path: File) -> int:
    return len(path.read().splitlines())


@task()
def scale(x: int, factor: int = get_context("scale.factor", 1)) -> int:
    return x * factor


@task()
def write_out(text: str) -> File:
    out = File("out.txt")
    out.write(text)
    return out


@task()
def report(lines: int, scaled: int, out: File) -> str:
    return f"{lines} lines, scaled {scaled}, wrote {out.path}"


@task()
def main(n: int = 2) -> str:
    return report(count_lines(File("data.txt")), scale(n), write_out("x" * n))

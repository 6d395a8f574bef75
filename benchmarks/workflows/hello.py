"""Three-task hello world: measures fixed per-run cost (startup, cache replay)."""

from redun import task

redun_namespace = "bench.hello"


@task()
def get_planet() -> str:
    return "World"


@task()
def greeter(greet: str, thing: str) -> str:
    return f"{greet}, {thing}!"


@task()
def main(greet: str = "Hello") -> str:
    return greeter(greet, get_planet())

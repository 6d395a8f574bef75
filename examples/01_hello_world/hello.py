"""Hello world: three tasks, cached and recorded.

redun run hello.py main
redun run hello.py main --greet Hi
redun run hello.py greeter --greet Hello --thing Mars
"""

from redun import Scheduler, task

redun_namespace = "hello"


@task()
def get_planet() -> str:
    return "World"


@task()
def greeter(greet: str, thing: str) -> str:
    return f"{greet}, {thing}!"


@task()
def main(greet: str = "Hello") -> str:
    return greeter(greet, get_planet())


if __name__ == "__main__":
    print(Scheduler().run(main()))

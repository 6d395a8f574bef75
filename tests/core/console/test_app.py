"""The console driven headless through textual's pilot, as a user would drive it."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("textual")

from redun.console.app import RedunConsole  # noqa: E402
from redun.console.routes import parse_route  # noqa: E402


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector).content)


def rows(screen, selector: str) -> list[list[str]]:
    table = screen.query_one(selector)
    return [[str(cell).strip() for cell in table.get_row_at(i)] for i in range(table.row_count)]


def drive(reader, argv, steps):
    """Run the app on ``argv`` and call ``await steps(app, pilot)`` inside it."""

    async def main():
        app = RedunConsole(reader, parse_route(argv))
        async with app.run_test(size=(160, 60)) as pilot:
            await pilot.pause()
            await steps(app, pilot)

    asyncio.run(main())


def test_navigate_executions_to_execution_to_job(reader):
    hello_id = reader.executions(["DONE"])[0].id

    async def steps(app, pilot):
        screen = app.screen
        assert text(screen, "#header") == "redun console executions"
        executions = rows(screen, "#executions-table")
        assert [(r[1], r[3]) for r in executions] == [
            ("FAILED", "console_demo.failing"),
            ("DONE", "console_demo.hello"),
        ]
        await pilot.press("down", "enter")
        await pilot.pause()
        screen = app.screen
        assert text(screen, "#header") == f"redun console executions/{hello_id}"
        assert "Execution " + hello_id in text(screen, "#execution-summary")
        counts = text(screen, "#execution-counts").splitlines()
        assert counts[1].split() == ["ALL", "0", "0", "0", "3", "3"]
        jobs = rows(screen, "#jobs-table")
        assert jobs[0][4] == "console_demo.hello(name='world')"
        assert "console_demo.shout('Hello, world!')" in [r[4] for r in jobs]

        # Move to the shout job and open it.
        index = [r[4] for r in jobs].index("console_demo.shout('Hello, world!')")
        await pilot.press(*["down"] * index, "enter")
        await pilot.pause()
        screen = app.screen
        assert text(screen, "#header").startswith("redun console jobs/")
        assert "console_demo.shout" in text(screen, "#job-summary")
        assert "text = 'Hello, world!'" in text(screen, "#job-args")
        assert text(screen, "#job-result") == "Result: 'HELLO, WORLD!'"
        assert "text <-- console_demo.greet (job " in text(screen, "#job-dataflow")
        links = [r[0] for r in rows(screen, "#job-links")]
        assert links[:3] == ["Execution", "Parent job", "Upstream job"]

        # The upstream link opens the job that produced the argument.
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert "console_demo.greet" in text(app.screen, "#job-summary")

        # Escape walks back to the execution, then to the list.
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert text(app.screen, "#header") == f"redun console executions/{hello_id}"
        await pilot.press("escape")
        await pilot.pause()
        assert text(app.screen, "#header") == "redun console executions"

    drive(reader, [], steps)


def test_failed_job_shows_error_and_traceback(reader):
    failed = reader.executions(["FAILED"])[0]

    async def steps(app, pilot):
        screen = app.screen
        assert text(screen, "#header") == (
            f"redun console executions/{failed.id} --status FAILED --task boom"
        )
        assert [r[4] for r in rows(screen, "#jobs-table")] == ["console_demo.boom(7)"]
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert text(screen, "#job-result") == "Raised: ValueError: bad input 7"
        trace = text(screen, "#job-traceback")
        assert trace.startswith("Traceback:")
        assert 'raise ValueError(f"bad input {x}")' in trace

    drive(reader, [failed.id[:8], "--status", "FAILED", "--task", "boom"], steps)


def test_slash_filters_the_job_tree_and_updates_the_header(reader):
    hello_id = reader.executions(["DONE"])[0].id

    async def steps(app, pilot):
        await pilot.press("slash")
        app.screen.query_one("#filter").value = "--task greet"
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert text(screen, "#header") == f"redun console executions/{hello_id} --task greet"
        assert [r[4] for r in rows(screen, "#jobs-table")] == ["console_demo.greet('world')"]
        # Plain words find.
        await pilot.press("slash")
        assert app.screen.query_one("#filter").value == "--task greet"
        app.screen.query_one("#filter").value = "shout"
        await pilot.press("enter")
        await pilot.pause()
        assert text(screen, "#header").endswith("--find shout")
        assert [r[4] for r in rows(screen, "#jobs-table")] == [
            "console_demo.shout('Hello, world!')"
        ]

    drive(reader, [f"executions/{hello_id}"], steps)


def test_find_on_the_executions_list_and_the_search_screen(reader):
    async def steps(app, pilot):
        screen = app.screen
        assert [r[3] for r in rows(screen, "#executions-table")] == ["console_demo.failing"]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert text(app.screen, "#header").startswith("redun console jobs/")
        # Screens without filters open the search screen on '/'.
        await pilot.press("slash")
        await pilot.pause()
        search = app.screen
        assert text(search, "#header") == "redun console search"
        search.query_one("#search-input").value = "boom"
        await pilot.press("enter")
        await pilot.pause()
        assert text(search, "#header") == "redun console search --find boom"
        hits = rows(search, "#search-results")
        assert {r[0] for r in hits} == {"Task", "Job"}

    drive(reader, ["--find", "failing"], steps)


def test_value_and_task_screens(reader):
    hello = reader.executions(["DONE"])[0]
    root = reader.job(hello.job.id)

    async def steps(app, pilot):
        screen = app.screen
        assert "Type: builtins.str" in text(screen, "#value-summary")
        assert text(screen, "#value-text") == "'HELLO, WORLD!'"
        assert {r[0] for r in rows(screen, "#value-links")} == {"Produced by"}
        app.open_path(f"tasks/{root.job.task_hash}")
        await pilot.pause()
        assert "console_demo.hello" in text(app.screen, "#task-summary")
        assert len(rows(app.screen, "#task-jobs")) == 1

    drive(reader, [f"values/{root.result_hash}"], steps)


def test_unknown_id_inside_the_app_is_a_notification(reader):
    async def steps(app, pilot):
        app.open_path("jobs/does-not-exist")
        await pilot.pause()
        # The screen is pushed, its load fails, and the user sees why.
        assert text(app.screen, "#error") == (
            "redun: error: no job does-not-exist in the repository"
        )

    drive(reader, [], steps)

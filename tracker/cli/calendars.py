"""``tracker export-calendars``: static .ics files for communes that publish on a web server.

One feed per commune (``<commune-slug>.ics``) and one per unit
(``<commune-slug>/<unit-slug>.ics``): file names come from slugs, so they stay stable and a
published URL keeps working. A file whose content did not change is not rewritten, so the web
server's Last-Modified and ETag stay put and calendar clients get their 304.
"""

from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.support import clock_from_option, database_app
from tracker.services import calendars
from tracker.web.labels import status_label


@click.command("export-calendars")
@click.argument(
    "directory", required=False, default="calendars",
    type=click.Path(path_type=Path, file_okay=False),
)  # fmt: skip
@click.option("--now", "now_text", metavar="ISO", help="Pretend it is this date or time.")
def export_calendars_command(directory: Path, now_text: str | None) -> None:
    """Write a feed per commune and per unit from DATABASE_URL into DIRECTORY (default:
    calendars/)."""
    clock = clock_from_option(now_text)
    app = database_app(clock=clock)
    written = unchanged = 0
    with app.app_context():
        settings = calendars.FeedSettings.from_config(app.config)
        now = clock.now()
        for target in calendars.export_targets():
            body = calendars.build_feed(
                target, None, calendars.FeedComponent.EVENT, now, settings, status_label
            )
            path = directory / f"{target.slug}.ics"
            if path.is_file() and path.read_bytes() == body:
                unchanged += 1
                continue
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_name(path.name + ".tmp")
                partial.write_bytes(body)
                partial.replace(path)  # atomic: a client never downloads half a file
            except OSError as error:
                raise click.ClickException(
                    f"cannot write {error.filename or path}: {error.strerror or error}"
                ) from error
            written += 1
    click.echo(f"{written} feeds written, {unchanged} unchanged, in {directory}")

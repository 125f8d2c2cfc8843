"""`coding-assistant serve` and `coding-assistant slack --socket` (registered in cli.main)."""

from __future__ import annotations

import os

import click


@click.command(name="serve", help="Serve the HTTP API and the web chat page (and Slack at "
                                  "/slack/events when SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN "
                                  "are set).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
def serve(host: str, port: int) -> None:
    from assistant.interfaces.api import serve as run_server

    click.echo(f"Chat page: http://{host}:{port}/  (API docs: /api/docs)", err=True)
    run_server(host, port)


@click.command(name="slack", help="Run the Slack bot over Socket Mode (needs SLACK_APP_TOKEN "
                                  "and SLACK_BOT_TOKEN). In HTTP mode Slack is served by "
                                  "`coding-assistant serve` at /slack/events.")
@click.option("--socket", is_flag=True, help="Connect over Socket Mode (no public URL needed).")
def slack(socket: bool) -> None:
    if not socket:
        raise click.UsageError("HTTP mode is served by `coding-assistant serve` at "
                               "/slack/events; pass --socket for Socket Mode")
    missing = [name for name in ("SLACK_APP_TOKEN", "SLACK_BOT_TOKEN") if not os.environ.get(name)]
    if missing:
        raise click.UsageError(f"set {' and '.join(missing)} (see slack/README.md)")
    from assistant.interfaces.api import SharedAssistant
    from assistant.interfaces.slack_bot import run_socket_mode

    click.echo("Connecting to Slack over Socket Mode; Ctrl+C stops.", err=True)
    run_socket_mode(SharedAssistant())  # one assistant, its index opened once


# The names the lead registers in the main group.
serve_command = serve
slack_command = slack

"""`python -m reader_service [--config FILE] [--host H] [--port P]`: run the service (uvicorn).

It refuses to start (exit status 2, one line on stderr) when a setting is wrong or the database
cannot be opened, read and written; secrets are never printed.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys

from .config import ConfigError, load_settings, redact

log = logging.getLogger("reader_service")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reader_service", description=__doc__)
    parser.add_argument("--config", help="TOML settings file (default: READER_SERVICE_* env)")
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", help="port (default 8001; 0 picks a free one)")
    parser.add_argument("--manifest", help="the site's manifest.json: path or URL")
    args = parser.parse_args(argv)
    warnings: list[str] = []
    database = "(not read yet)"
    try:
        settings = load_settings(args.config, warnings=warnings)
        changes = {"host": args.host, "port": args.port, "manifest": args.manifest}
        settings = dataclasses.replace(
            settings, **{k: v for k, v in changes.items() if v is not None}
        )
        database = redact(settings.database)
        import uvicorn

        from .app import create_app
        from .backends import StoreUnavailable
        from .server import uvicorn_config

        try:
            app = create_app(settings)
        except StoreUnavailable as error:
            message = str(error)
            password = _password(settings.database)
            if password:
                message = message.replace(password, "***")
            print(
                f"reader service: cannot use the database {database}: {message}. Check the "
                f"`database` setting (READER_SERVICE_DATABASE), that the server or folder is "
                f"reachable, and that the service may read and write it.",
                file=sys.stderr,
            )
            return 2
    except ConfigError as error:
        print(f"reader service: {error}", file=sys.stderr)
        return 2
    config = uvicorn_config(app, settings)
    server = uvicorn.Server(config)
    for warning in warnings:
        print(f"reader service: warning: {warning}", file=sys.stderr)
    print(f"reader service: database {database}, manifest {settings.manifest}", file=sys.stderr)
    server.run()
    return 0 if server.started else 1


def _password(database: str) -> str | None:
    from urllib.parse import parse_qsl, urlsplit

    try:
        parts = urlsplit(database)
        query = dict(parse_qsl(parts.query))
        return parts.password or query.get("password")
    except ValueError:
        return None


if __name__ == "__main__":
    sys.exit(main())

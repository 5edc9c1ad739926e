"""`python -m ratings_service [--config FILE] [--host H] [--port P]`: run the service (uvicorn)."""

from __future__ import annotations

import argparse
import sys

from .config import ConfigError, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ratings_service", description=__doc__)
    parser.add_argument("--config", help="TOML settings file (default: RATINGS_* env vars)")
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default 8001; 0 picks a free one)")
    parser.add_argument("--manifest", help="the site's manifest.json: path or URL")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config)
        if args.host:
            settings.host = args.host
        if args.port is not None:
            settings.port = args.port
        if args.manifest:
            settings.manifest = args.manifest
        import uvicorn

        from .app import create_app
        from .server import uvicorn_config

        app = create_app(settings)
    except ConfigError as error:
        print(f"ratings service: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - sqlite3/psycopg/OS errors opening the store
        where = settings.database.split("@")[-1]  # never print a password from the URL
        print(
            f"ratings service: cannot open the database {where}: {error}. Check the `database` "
            f"setting (RATINGS_DATABASE) and that the server or folder is reachable.",
            file=sys.stderr,
        )
        return 2
    server = uvicorn.Server(uvicorn_config(app, settings))
    server.run()
    return 0 if server.started else 1


if __name__ == "__main__":
    sys.exit(main())

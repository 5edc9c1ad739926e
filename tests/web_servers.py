"""Real web servers for the tests: nginx and Caddy (Debian's packages) serving a built site with
the server snippets the redirects plugin wrote, on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

NGINX = "/usr/sbin/nginx"
CADDY = "/usr/bin/caddy"

NGINX_CONF = """worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
{user}
events {{}}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {site}/redirects/nginx-http.conf;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        include {site}/redirects/nginx-server.conf;
    }}
}}
"""

CADDYFILE = """{{
    admin off
    auto_https off
}}
http://127.0.0.1:{port} {{
    root * {site}
    import {site}/redirects/Caddyfile
    file_server
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {log.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("the server did not start listening")


@contextmanager
def serving(kind: str, site: Path, tmp: Path):
    """Serve ``site`` with nginx or Caddy; yields the base URL."""
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = tmp / "server.log"
    env = {**os.environ, "HOME": str(tmp), "XDG_DATA_HOME": str(tmp), "XDG_CONFIG_HOME": str(tmp)}
    if kind == "nginx":
        # As root nginx's workers would run as nobody, who cannot read pytest's tmp folders.
        user = "user root;" if os.geteuid() == 0 else ""
        config = tmp / "nginx.conf"
        config.write_text(NGINX_CONF.format(tmp=tmp, site=site, port=port, user=user))
        command = [NGINX, "-c", str(config), "-e", str(tmp / "error.log")]
    else:
        config = tmp / "Caddyfile"
        config.write_text(CADDYFILE.format(site=site, port=port))
        command = [CADDY, "run", "--config", str(config), "--adapter", "caddyfile"]
    with log.open("w") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
    try:
        _wait(port, process, log)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=20)

"""The same handler for Gunicorn: 'end', or the worker's pid on /whoami."""
import os


def application(environ, start_response):
    body = str(os.getpid()).encode() if environ["PATH_INFO"] == "/whoami" else b"end"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]

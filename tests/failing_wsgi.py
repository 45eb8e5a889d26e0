"""A WSGI application that fails every request, for what gunicorn itself logs then."""


def application(environ, start_response):
    raise RuntimeError("injected fault")

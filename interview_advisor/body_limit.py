"""Refuse a request body too large to be a form of this site before anything reads it."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousMultipartForm
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse


class BodyLimitMiddleware:
    """Answer 400 to a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, or of unknown length.

    Django applies that limit to form fields only as it parses them, and not to the files of a
    multipart body, which it reads whole and spools to disk; the CSRF check reads the body to
    find its token. Judging by the headers alone, before any of that, nothing is read. A body
    without ``Content-Length`` (``Transfer-Encoding: chunked``) has no size to judge, and no
    browser sends a form that way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "HTTP_TRANSFER_ENCODING" in request.META:
            raise RequestDataTooBig("Request body without Content-Length refused.")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body then
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
        return self.get_response(request)


class RefuseUploads(FileUploadHandler):
    """Refuse a form that carries a file: the site takes no uploads, so none is stored."""

    def new_file(self, *args, **kwargs):
        raise SuspiciousMultipartForm("File upload refused: the site takes none.")

    def receive_data_chunk(self, raw_data, start):
        return None

    def file_complete(self, file_size):
        return None

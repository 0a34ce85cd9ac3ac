"""The API's one error shape. It lives in facit.core.api_errors, so that domain apps, which
declare their API routers, never import the api layer (core <- domain apps <- api/web)."""

from facit.core.api_errors import ApiError, ErrorOut, error_body, install_error_handlers, responses

__all__ = ["ApiError", "ErrorOut", "error_body", "install_error_handlers", "responses"]

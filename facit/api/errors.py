"""The API's one error shape. It lives in facit.core.api_errors, so that domain apps, which
declare their API routers, never import the api layer (core <- domain apps <- api/web)."""

from facit.core.api_errors import ApiError, error_body, install_error_handlers

__all__ = ["ApiError", "error_body", "install_error_handlers"]

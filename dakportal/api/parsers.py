"""The API's JSON parser: DRF's, plus a clear 400 for JSON nested too deep to read (#10: `"[" * 100000` was a
server error)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None
        except ParseError:
            raise ParseError(_("The request body is not valid JSON.")) from None

"""Django REST framework's error messages that its own Indonesian catalog leaves in English (#10: every error
in the user's language). Listed here so that `makemessages` puts them in the portal's catalog, which Django
reads before DRF's; nothing imports this module."""

from __future__ import annotations

from django.utils.translation import gettext_noop

MESSAGES = [
    # Django 6.1's empty choice of every dropdown (its own Indonesian catalog does not have it yet; #14)
    gettext_noop("- Select an option -"),
    gettext_noop("String value too large."),
    gettext_noop("A valid number is required."),
    gettext_noop("A valid biginteger is required."),
    gettext_noop("Integer value too large to convert to float"),
    gettext_noop("Not a valid string."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop("Expected a date but got a datetime."),
    gettext_noop("Expected a datetime but got a date."),
    gettext_noop('Invalid datetime for the timezone "{timezone}".'),
    gettext_noop("Datetime value out of range."),
    gettext_noop("This list may not be empty."),
    gettext_noop("Ensure this field has at least {min_length} elements."),
    gettext_noop("Ensure this field has no more than {max_length} elements."),
    gettext_noop("This dictionary may not be empty."),
    gettext_noop("Incorrect type. Expected pk value, received {data_type}."),
    gettext_noop("Object with {slug_name}={value} does not exist."),
    gettext_noop("Invalid value."),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    gettext_noop("Malformed request."),
    gettext_noop('Method "{method}" not allowed.'),
    gettext_noop("Invalid page."),
]

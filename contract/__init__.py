"""Facts of the API contract that both sides of the gateway must agree on.

Neither the gateway nor any service owns these: the gateway lets the routes through, the
service answers them, and both read the one definition here. This package imports nothing
of the project's (import-linter checks it), so it can never become a back door between them.
"""

"""Run-time confirmation: a pytest plugin records blocking calls, ``check --runtime`` merges them.

Nothing is imported here: pytest loads ``asyncify.runtime.plugin`` in every test run of
an environment where asyncify is installed, and a disabled plugin must cost nothing.
"""

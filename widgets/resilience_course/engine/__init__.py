"""The course engine: definitions, scoring, storage and export.

Nothing in this layer imports ipywidgets, so it can be used from the command
line, from tests and from nbgrader tooling without a browser.
"""

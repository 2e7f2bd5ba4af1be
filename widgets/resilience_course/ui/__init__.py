"""The course's ipywidgets: they render the engine's definitions, scores and records."""

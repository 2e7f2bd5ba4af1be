"""The course's widget kit (the only place besides widget modules that imports ipywidgets).

* :mod:`.style`: the stylesheet, status messages, previews of files, standard layouts;
* :mod:`.session`: warming a kernel up, waiting for the learner, the learner's store;
* :mod:`.controls`: the one button and the labelled text box;
* :mod:`.submit`: ``on_submit`` callbacks through ipywidgets' ``CallbackDispatcher``;
* :mod:`.guard`: the guarded action (clear message on the page, details in the log);
* :mod:`.download`: the "save to folder or download" component;
* :mod:`.entries`: the list of earlier entries.

Verbs are the same across the package: ``save()`` writes to the learner's store, ``preview()``
shows what a file will hold, ``write()`` writes a file.
"""

from .looks import share_default_looks

share_default_looks()

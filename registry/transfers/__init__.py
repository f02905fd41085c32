"""Transfer requests (issue 11): an import row whose CCCD belongs to someone outside the
uploader's scope asks for them instead of changing them.

  service  file requests on confirm, withdraw them on undo, approve or reject them
  views    the blueprint: the list, one request (both sides only for whoever may decide),
           approve, reject
  forms    the decider's two forms, each with the version the page was read at
"""

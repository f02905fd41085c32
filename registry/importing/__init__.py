"""The database side of the roster import; the pure `imports` library reads the files.

  preview         an upload read, validated and planned into a stored batch; its rows read back
                  (preview page, error workbook, the CLI's JSON contract)
  background      big files read by the job worker (registry.core.jobs), with progress
  confirm         a previewed batch committed once (re-planned if the data moved), or undone
  match           match valid rows with people already in the registry and plan each row
  apply           write a batch's planned rows (bulk inserts, audited updates) and take them out
  bulk            bulk INSERT through the driver's executemany, for the large commits
  db_catalogue    the imports.Catalogue built from the database (units, ethnicities, column
                  sizes) and the reference lists the commit looks codes up in
  template_lists  the template's drop-down choices within the uploader's scope
  views           the blueprint: upload, preview, confirm, errors back as xlsx, history, undo
  forms           the upload and confirm forms
  cli             `flask import-roster`: the web flow from the command line, with the JSON contract
"""

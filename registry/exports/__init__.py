"""Everything that leaves the registry as a file: the roster (complete and trích ngang layouts),
qualification lists, the payment sheet and the periodic report. Each module has one job:

- agency.py   the agency block, the place-and-date line and the signature titles of a unit;
- book.py     the workbook toolkit over xlsxwriter in constant-memory mode (formats, safe text
              cells, widths, print setup), writing to an unnamed temporary file;
- rows.py     the roster's rows (one per person and appointment) from the roster query;
- full.py     the complete layout; trich_ngang.py the office layout;
- lists.py, payment_sheet.py, report.py   the other documents.
"""

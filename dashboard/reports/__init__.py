"""Files made for people: the export (CSV, XLSX), the weekly pack, the blank template,
the figures download and the MP briefings."""

"""Reports (#6): one class per report, rendered as a page (table and chart), CSV, XLSX and PDF, and as an API
twin, all from the same rows. See `Report`."""

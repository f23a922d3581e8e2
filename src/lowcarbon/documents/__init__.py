"""Documents made from results: XLSX reports now; Word and PDF plans later."""

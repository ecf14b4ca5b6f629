"""`visa-monitor run`: scheduled crawls, alert delivery and the operator's notices."""

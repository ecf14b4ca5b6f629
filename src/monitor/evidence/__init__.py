"""Evidence of real H-1B use beside each program's stated policy.

Users download USCIS H-1B Employer Data Hub exports and DOL LCA disclosure
files; `import_` stores them (tables.py, uscis.py, lca.py and trainees.py
read them), `match` ties programs to employers (employers.py makes the name
keys), and `report` puts the filings, and any contradiction, beside the
stance. Readers of the store (status, history, the web page, alerts) call
`monitor.evidence.report.filings_for` and `contradiction`.
"""

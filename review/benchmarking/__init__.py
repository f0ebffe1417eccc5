"""The page benchmark (manage.py benchmark_pages): which pages it asks for and as whom (pages.py), the framework's
floor it compares them with (floor.py, served only by this package's settings.py and urls.py), and how it times
requests, in this process or against gunicorn (load.py)."""
